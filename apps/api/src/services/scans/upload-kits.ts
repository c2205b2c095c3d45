import type { ScanCounts, UploadKit } from '@collector/contracts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

/**
 * «Распознанные сканы по номеру работы»: the kits an upload's recognised scans belong to, each with all its slots
 * from the registry and the scans holding each, so a missing page shows as an empty slot.
 */
export async function uploadKits(prisma: PrismaClient, uploadId: string, scope: { regionCode?: string }): Promise<{ kits: UploadKit[]; counts: ScanCounts }> {
  const scans = await prisma.scan.findMany({
    where: { uploadId, deletedAt: null, ...scope },
    select: { id: true, status: true, blankId: true, blank: { select: { kitId: true } } },
  });
  const recognized = scans.filter((s) => s.status === 'recognized');
  const counts = { total: scans.length, recognized: recognized.length, unrecognized: scans.length - recognized.length };
  const kitIds = [...new Set(recognized.flatMap((s) => (s.blank ? [s.blank.kitId] : [])))];
  if (kitIds.length === 0) return { kits: [], counts };
  const kits = await prisma.kit.findMany({
    where: { id: { in: kitIds } },
    select: { number: true, slots: true, blanks: { select: { id: true, number: true, position: true }, orderBy: { position: 'asc' } } },
    orderBy: { number: 'asc' },
  });
  const scansOfBlank = new Map<string, string[]>();
  for (const s of recognized) if (s.blankId) scansOfBlank.set(s.blankId, [...(scansOfBlank.get(s.blankId) ?? []), s.id]);
  return {
    counts,
    kits: kits.map((k) => ({
      kitNumber: k.number,
      slots: k.slots,
      positions: k.blanks.map((b) => ({ position: b.position, blankNumber: b.number, scanIds: scansOfBlank.get(b.id) ?? [] })),
    })),
  };
}
