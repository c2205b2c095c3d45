import { EntryCodeSchema, RejectCodeSchema, UploadHintSchema, type Upload as UploadDto, type UploadCounts, type UploadHint, type UploadProblem } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

export const uploadWithUser = { uploadedBy: { select: { login: true, fullName: true } } } as const;
export type UploadWithUser = Prisma.UploadGetPayload<{ include: typeof uploadWithUser }>;

type LiveCounts = Omit<UploadCounts, 'newScans' | 'alreadyStored'>;

const ZERO: LiveCounts = { total: 0, recognized: 0, unrecognized: 0, duplicates: 0, empty: 0 };

/** Live-scan counts per upload, with the completeness classes of DESIGN.md (duplicate before empty). */
export async function countScansByUpload(prisma: PrismaClient, uploadIds: string[]): Promise<Map<string, LiveCounts>> {
  if (uploadIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<Array<{ id: string; total: number; recognized: number; unrecognized: number; duplicates: number; empty: number }>>(Prisma.sql`
    SELECT s."uploadId"::text AS id,
           count(*)::int AS total,
           (count(*) FILTER (WHERE s.status = 'recognized'))::int AS recognized,
           (count(*) FILTER (WHERE s.status = 'unrecognized'))::int AS unrecognized,
           (count(*) FILTER (WHERE d."blankId" IS NOT NULL))::int AS duplicates,
           (count(*) FILTER (WHERE d."blankId" IS NULL AND s.status = 'recognized' AND s.fill = 'empty'))::int AS empty
      FROM "Scan" s
      LEFT JOIN (SELECT "blankId" FROM "Scan" WHERE "deletedAt" IS NULL AND "blankId" IS NOT NULL
                  GROUP BY "blankId" HAVING count(*) > 1) d ON d."blankId" = s."blankId"
     WHERE s."deletedAt" IS NULL AND s."uploadId" = ANY(${uploadIds}::uuid[])
     GROUP BY s."uploadId"`);
  return new Map(rows.map((r) => [r.id, { total: r.total, recognized: r.recognized, unrecognized: r.unrecognized, duplicates: r.duplicates, empty: r.empty }]));
}

function asProblems(value: Prisma.JsonValue): UploadProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) =>
    p && typeof p === 'object' && !Array.isArray(p) && typeof p.entryName === 'string' && EntryCodeSchema.safeParse(p.code).success
      ? [{ entryName: p.entryName, code: EntryCodeSchema.parse(p.code) }]
      : [],
  );
}

function asHints(value: Prisma.JsonValue): UploadHint[] {
  return Array.isArray(value) ? value.flatMap((v) => { const hint = UploadHintSchema.safeParse(v); return hint.success ? [hint.data] : []; }) : [];
}

function asStrings(value: Prisma.JsonValue): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function toUploadDto(upload: UploadWithUser, counts: LiveCounts | undefined): UploadDto {
  return {
    id: upload.id,
    fileName: upload.fileName,
    sizeBytes: Number(upload.sizeBytes),
    receivedBytes: Number(upload.receivedBytes),
    regionCode: upload.regionCode,
    status: upload.status,
    rejectCode: RejectCodeSchema.safeParse(upload.rejectCode).data ?? null,
    problems: asProblems(upload.problems),
    ignored: asStrings(upload.ignored),
    counts: { ...(counts ?? ZERO), newScans: upload.newScans, alreadyStored: upload.alreadyStored },
    progress: upload.status === 'processing' || upload.status === 'queued' ? { processed: upload.processedPages, total: upload.totalPages } : null,
    passwordNeeded: upload.passwordNeeded,
    hints: asHints(upload.hints),
    uploadedBy: upload.uploadedBy,
    createdAt: upload.createdAt.toISOString(),
    finishedAt: upload.finishedAt?.toISOString() ?? null,
  };
}
