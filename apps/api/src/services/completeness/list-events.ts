import type { CompletenessEvent } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { isoDate, protocolDueAt } from './protocol-due.ts';

interface Row {
  code: string;
  title: string;
  date: Date;
  schools: number;
  blanks: number;
  scannedBlanks: number;
  schoolsWithDuplicates: number;
  total: number;
  filled: number;
  duplicates: number;
  empty: number;
  missing: number;
  unrecognized: number;
}

/**
 * «Перечень мероприятий, по которым производилась загрузка»: the events with at least one live scan in the caller's
 * regions, newest first, each with its counts aggregated in the database.
 */
export async function listEvents(prisma: PrismaClient, regionCode: string | undefined): Promise<CompletenessEvent[]> {
  const region = regionCode ? Prisma.sql`c."regionCode" = ${regionCode}` : Prisma.sql`TRUE`;
  const unrecognizedRegion = regionCode ? Prisma.sql`AND s."regionCode" = ${regionCode}` : Prisma.empty;
  // the schools' rows kept by the database (migration completeness_counts), summed per event
  const rows = await prisma.$queryRaw<Row[]>`
    WITH per_event AS (
      SELECT c."eventId" AS event_id, count(*)::int AS schools, sum(c.blanks)::int AS blanks,
             sum(c.blanks - c.missing)::int AS "scannedBlanks",
             (count(*) FILTER (WHERE c.duplicates > 0))::int AS "schoolsWithDuplicates",
             sum(c.total)::int AS total, sum(c.filled)::int AS filled, sum(c.duplicates)::int AS duplicates,
             sum(c.empty)::int AS empty, sum(c.missing)::int AS missing
        FROM "SchoolCompleteness" c
       WHERE ${region}
       GROUP BY c."eventId"
      HAVING sum(c.total) > 0
    ), unrec AS (
      SELECT x.event_id, count(*)::int AS n
        FROM (SELECT DISTINCT us."eventId" AS event_id, s.id
                FROM "UploadSchool" us
                JOIN per_event pe ON pe.event_id = us."eventId"
                JOIN "Scan" s ON s."uploadId" = us."uploadId" AND s.status = 'unrecognized' AND s."deletedAt" IS NULL ${unrecognizedRegion}) x
       GROUP BY x.event_id
    )
    SELECT ev.code, ev.title, ev.date, pe.schools, pe.blanks, pe."scannedBlanks", pe."schoolsWithDuplicates",
           pe.total, pe.filled, pe.duplicates, pe.empty, pe.missing, COALESCE(unrec.n, 0)::int AS unrecognized
      FROM per_event pe
      JOIN "Event" ev ON ev.id = pe.event_id
      LEFT JOIN unrec ON unrec.event_id = pe.event_id
     ORDER BY ev.date DESC, ev.code ASC`;
  return rows.map((r) => ({
    code: r.code,
    title: r.title,
    date: isoDate(r.date),
    protocolDueAt: protocolDueAt(r.date).toISOString(),
    schools: r.schools,
    blanks: r.blanks,
    scannedBlanks: r.scannedBlanks,
    schoolsWithDuplicates: r.schoolsWithDuplicates,
    unrecognized: r.unrecognized,
    counts: { total: r.total, filled: r.filled, duplicates: r.duplicates, empty: r.empty, missing: r.missing },
  }));
}
