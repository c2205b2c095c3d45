import type { CompletenessScan, DuplicateGroup } from '@collector/contracts';
import { AppError } from '../../errors.ts';
import { Prisma, type PrismaClient, type User } from '../../generated/prisma/client.ts';
import { regionScope } from '../region-scope.ts';
import { EFFECTIVE_EMPTY } from './count-schools.ts';

interface ScanRow {
  id: string;
  blankNumber: string;
  kitNumber: string;
  position: number;
  uploadId: string;
  uploadFileName: string;
  entryName: string;
  createdAt: Date;
  fill: 'filled' | 'empty';
  inkScore: number;
  reviewed: boolean;
}

function toDto(row: ScanRow): CompletenessScan {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/** Live scans of a school's blanks for one event, with one condition on the blank's live scans. */
async function schoolScans(prisma: PrismaClient, eventId: string, schoolId: string, condition: Prisma.Sql, orderBy: Prisma.Sql): Promise<ScanRow[]> {
  return prisma.$queryRaw<ScanRow[]>`
    WITH live AS (
      SELECT b.id AS blank_id, b.number AS blank_number, b.position, b."kitId", count(*) OVER (PARTITION BY b.id) AS n,
             s.id, s."uploadId", s."entryName", s."createdAt", s."inkScore", s."fillOverride",
             COALESCE(s."fillOverride", s.fill)::text AS fill, (${EFFECTIVE_EMPTY}) AS is_empty
        FROM "Blank" b
        JOIN "Scan" s ON s."blankId" = b.id AND s."deletedAt" IS NULL
       WHERE b."eventId" = ${eventId}::uuid AND b."schoolId" = ${schoolId}::uuid
    )
    SELECT live.id::text AS id, live.blank_number AS "blankNumber", k.number AS "kitNumber", live.position,
           live."uploadId"::text AS "uploadId", u."fileName" AS "uploadFileName", live."entryName", live."createdAt",
           live.fill, live."inkScore", (live."fillOverride" IS NOT NULL) AS reviewed
      FROM live
      JOIN "Kit" k ON k.id = live."kitId"
      JOIN "Upload" u ON u.id = live."uploadId"
     WHERE ${condition}
     ORDER BY ${orderBy}`;
}

/** «С дублями»: each blank of the school with more than one live scan, its scans oldest first. */
export async function listDuplicates(prisma: PrismaClient, eventId: string, schoolId: string): Promise<DuplicateGroup[]> {
  const rows = await schoolScans(prisma, eventId, schoolId, Prisma.sql`live.n > 1`, Prisma.sql`k.number, live.position, live."createdAt", live.id`);
  const groups: DuplicateGroup[] = [];
  for (const row of rows) {
    let group = groups.at(-1);
    if (group?.blankNumber !== row.blankNumber) {
      group = { blankNumber: row.blankNumber, kitNumber: row.kitNumber, position: row.position, scans: [] };
      groups.push(group);
    }
    group.scans.push(toDto(row));
  }
  return groups;
}

/** «Пустые»: scans counted empty (not duplicates), the most ink first, where a misjudged page is likeliest. */
export async function listEmptyScans(prisma: PrismaClient, eventId: string, schoolId: string): Promise<CompletenessScan[]> {
  const rows = await schoolScans(prisma, eventId, schoolId, Prisma.sql`live.n = 1 AND live.is_empty`, Prisma.sql`live."inkScore" DESC, k.number, live.position`);
  return rows.map(toDto);
}

export interface Actor {
  user: User;
  ip: string;
}

/**
 * Keeps one scan of a duplicated blank: the blank's other live scans are removed (kept for the audit trail, like
 * «Удалить»), each with an audit record naming the scan that was kept.
 */
export async function keepDuplicate(prisma: PrismaClient, actor: Actor, schoolId: string, scanId: string): Promise<{ kept: string; removed: string[] }> {
  const scope = regionScope(actor.user);
  return prisma.$transaction(async (tx) => {
    const kept = await tx.scan.findFirst({ where: { id: scanId, deletedAt: null, ...scope, blank: { schoolId } }, include: { blank: true } });
    if (!kept?.blankId || !kept.blank) throw new AppError('not_found', { detail: 'Скан не найден среди сканов этой точки проведения' });
    // lock the blank's live scans, so two people resolving the same blank cannot both keep one
    const others = await tx.$queryRaw<{ id: string; status: string; blankNumber: string | null; rotation: number; version: number }[]>`
      SELECT id::text AS id, status::text AS status, "blankNumber", rotation, version FROM "Scan"
       WHERE "blankId" = ${kept.blankId}::uuid AND "deletedAt" IS NULL AND id <> ${kept.id}::uuid
       ORDER BY id FOR UPDATE`;
    if (others.length === 0) throw new AppError('conflict', { detail: 'У этого бланка уже нет дублей' });
    const now = new Date();
    const removed = await tx.scan.updateMany({
      where: { id: { in: others.map((o) => o.id) }, deletedAt: null },
      data: { deletedAt: now, version: { increment: 1 } },
    });
    if (removed.count !== others.length) throw new AppError('conflict', { detail: 'Сканы изменились, обновите страницу' });
    await tx.auditLog.createMany({
      data: others.map((o) => ({
        userId: actor.user.id,
        action: 'scan.delete',
        entityType: 'scan',
        entityId: o.id,
        regionCode: kept.regionCode,
        before: { status: o.status, blankNumber: o.blankNumber, rotation: o.rotation, version: o.version },
        after: { deletedAt: now.toISOString(), reason: 'duplicate_resolved', keptScanId: kept.id },
        ip: actor.ip,
      })),
    });
    return { kept: kept.id, removed: others.map((o) => o.id) };
  });
}

/**
 * A person's verdict on scans' fill («Пустые» confirmed, or a page marked filled): stored beside the automatic one,
 * used by every count, audited per scan. All the scans must be the caller's live, recognised scans, or nothing changes.
 */
export async function reviewFill(prisma: PrismaClient, actor: Actor, scanIds: string[], fill: 'filled' | 'empty'): Promise<number> {
  const ids = [...new Set(scanIds)];
  return prisma.$transaction(async (tx) => {
    const scans = await tx.scan.findMany({
      where: { id: { in: ids }, deletedAt: null, status: 'recognized', ...regionScope(actor.user) },
      select: { id: true, fill: true, fillOverride: true, regionCode: true },
    });
    if (scans.length !== ids.length) throw new AppError('not_found', { detail: 'Некоторые сканы не найдены или уже удалены' });
    const now = new Date();
    await tx.scan.updateMany({ where: { id: { in: ids } }, data: { fillOverride: fill, fillReviewedAt: now, version: { increment: 1 } } });
    await tx.auditLog.createMany({
      data: scans.map((s) => ({
        userId: actor.user.id,
        action: 'scan.fill_review',
        entityType: 'scan',
        entityId: s.id,
        regionCode: s.regionCode,
        before: { fill: s.fillOverride ?? s.fill, detected: s.fill },
        after: { fill, detected: s.fill },
        ip: actor.ip,
      })),
    });
    return scans.length;
  });
}
