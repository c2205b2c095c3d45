import type { CompletenessEvent } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { EFFECTIVE_EMPTY } from './count-schools.ts';
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
  const region = regionCode ? Prisma.sql`b."regionCode" = ${regionCode}` : Prisma.sql`TRUE`;
  const badRegion = regionCode ? Prisma.sql`AND s."regionCode" = ${regionCode}` : Prisma.empty;
  const rows = await prisma.$queryRaw<Row[]>`
    WITH per_blank AS (
      SELECT b."eventId" AS event_id, b."schoolId" AS school_id,
             count(s.id) AS n, count(s.id) FILTER (WHERE ${EFFECTIVE_EMPTY}) AS e
        FROM "Blank" b
        LEFT JOIN "Scan" s ON s."blankId" = b.id AND s."deletedAt" IS NULL
       WHERE ${region}
       GROUP BY b."eventId", b."schoolId", b.id
    ), per_school AS (
      SELECT event_id, school_id, count(*) AS blanks,
             count(*) FILTER (WHERE n > 0) AS scanned,
             COALESCE(sum(n), 0) AS total,
             COALESCE(sum(n) FILTER (WHERE n > 1), 0) AS duplicates,
             count(*) FILTER (WHERE n = 1 AND e = 1) AS empty,
             count(*) FILTER (WHERE n = 1 AND e = 0) AS filled,
             count(*) FILTER (WHERE n = 0) AS missing
        FROM per_blank
       GROUP BY event_id, school_id
    ), per_event AS (
      SELECT event_id, count(*)::int AS schools, sum(blanks)::int AS blanks, sum(scanned)::int AS "scannedBlanks",
             (count(*) FILTER (WHERE duplicates > 0))::int AS "schoolsWithDuplicates",
             sum(total)::int AS total, sum(filled)::int AS filled, sum(duplicates)::int AS duplicates,
             sum(empty)::int AS empty, sum(missing)::int AS missing
        FROM per_school
       GROUP BY event_id
      HAVING sum(total) > 0
    ), bad AS (
      SELECT s."uploadId", count(*)::int AS n FROM "Scan" s
       WHERE s.status = 'unrecognized' AND s."deletedAt" IS NULL ${badRegion}
       GROUP BY 1
    ), unrec AS (
      SELECT x.event_id, sum(x.n)::int AS n
        FROM (SELECT DISTINCT bad."uploadId", bad.n, b."eventId" AS event_id
                FROM bad
                JOIN "Scan" s ON s."uploadId" = bad."uploadId" AND s.status = 'recognized' AND s."deletedAt" IS NULL
                JOIN "Blank" b ON b.id = s."blankId") x
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
