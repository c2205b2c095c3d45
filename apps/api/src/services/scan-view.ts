import type { Scan as ScanDto, UnrecognizedReason } from '@collector/contracts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export const scanWithBlank = { blank: { include: { kit: true } } } as const;
export type ScanWithBlank = Prisma.ScanGetPayload<{ include: typeof scanWithBlank }>;

const ROTATIONS = [0, 90, 180, 270] as const;
const REASONS: readonly string[] = ['no_barcode', 'ambiguous', 'unknown_blank', 'foreign_region'];

/** Blank ids among these that have more than one live scan («с дублями»). */
export async function duplicatedBlankIds(prisma: PrismaClient, blankIds: string[]): Promise<Set<string>> {
  if (blankIds.length === 0) return new Set();
  const groups = await prisma.scan.groupBy({
    by: ['blankId'],
    where: { blankId: { in: [...new Set(blankIds)] }, deletedAt: null },
    _count: { _all: true },
  });
  return new Set(groups.filter((g) => g._count._all > 1 && g.blankId).map((g) => g.blankId as string));
}

export function toScanDto(scan: ScanWithBlank, duplicates: Set<string>): ScanDto {
  return {
    id: scan.id,
    uploadId: scan.uploadId,
    entryName: scan.entryName,
    page: scan.pageIndex,
    status: scan.status,
    reason: scan.reason && REASONS.includes(scan.reason) ? (scan.reason as UnrecognizedReason) : null,
    blankNumber: scan.blankNumber,
    kitNumber: scan.blank?.kit.number ?? null,
    position: scan.blank?.position ?? null,
    fill: scan.fill,
    inkScore: scan.inkScore,
    duplicate: scan.blankId !== null && duplicates.has(scan.blankId),
    rotation: ROTATIONS.find((r) => r === scan.rotation) ?? 0,
    version: scan.version,
    offeredNumber: scan.offeredNumber,
    createdAt: scan.createdAt.toISOString(),
    updatedAt: scan.updatedAt.toISOString(),
  };
}
