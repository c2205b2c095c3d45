import type { SchoolRow, SchoolSort } from '@collector/contracts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { protocolState } from './protocol-due.ts';

export interface CountSchoolsOptions {
  eventId: string;
  protocolDueAt: Date;
  regionCode?: string | undefined;
  schoolId?: string | undefined;
  search?: string | undefined;
  only?: 'duplicates' | 'missing' | undefined;
  sort?: SchoolSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

const SORT_COLUMNS: Record<SchoolSort, Prisma.Sql> = {
  schoolCode: Prisma.sql`sc.code`,
  total: Prisma.sql`c.total`,
  filled: Prisma.sql`c.filled`,
  duplicates: Prisma.sql`c.duplicates`,
  empty: Prisma.sql`c.empty`,
  missing: Prisma.sql`c.missing`,
  unrecognized: Prisma.sql`unrecognized`,
};

interface Row {
  schoolCode: string;
  regionCode: string;
  schoolName: string;
  total: number;
  filled: number;
  duplicates: number;
  empty: number;
  missing: number;
  kits: number;
  unrecognized: number;
  submittedAt: Date | null;
  matched: number;
}

/** `%` and `_` typed by a person are letters, not patterns. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The effective fill of a scan: a person's verdict over the page analysis. */
export const EFFECTIVE_EMPTY = Prisma.sql`COALESCE(s."fillOverride", s.fill) = 'empty'`;

/**
 * The completeness counts of an event's schools, computed in the database by one aggregate query: blanks of the event
 * (one index range), each left-joined to its live scans, counted per blank, then per school. Nothing per scan comes
 * back to JavaScript, only one row per school of the requested page.
 */
export async function countSchools(prisma: PrismaClient, options: CountSchoolsOptions): Promise<{ matched: number; rows: SchoolRow[] }> {
  const { offset = 0 } = options;
  const rows = await prisma.$queryRaw<Row[]>(schoolCountsSql(options));
  return {
    matched: rows[0]?.matched ?? (offset > 0 ? await countMatched(prisma, options) : 0),
    rows: rows.map((r) => ({
      schoolCode: r.schoolCode,
      regionCode: r.regionCode,
      schoolName: r.schoolName,
      total: r.total,
      filled: r.filled,
      duplicates: r.duplicates,
      empty: r.empty,
      missing: r.missing,
      kits: r.kits,
      unrecognized: r.unrecognized,
      protocol: protocolState(options.protocolDueAt, r.submittedAt),
    })),
  };
}

/** The school-list query itself (the benchmark prints its plan). */
export function schoolCountsSql(options: CountSchoolsOptions): Prisma.Sql {
  const { eventId, regionCode, schoolId, search, only, sort = 'schoolCode', order = 'asc', limit = 200, offset = 0 } = options;
  const blankFilters: Prisma.Sql[] = [Prisma.sql`b."eventId" = ${eventId}::uuid`];
  if (regionCode) blankFilters.push(Prisma.sql`b."regionCode" = ${regionCode}`);
  if (schoolId) blankFilters.push(Prisma.sql`b."schoolId" = ${schoolId}::uuid`);
  if (search?.trim()) {
    const pattern = likePattern(search.trim());
    blankFilters.push(Prisma.sql`b."schoolId" IN (SELECT id FROM "School" WHERE code ILIKE ${pattern} OR name ILIKE ${pattern})`);
  }
  const kitFilters: Prisma.Sql[] = [Prisma.sql`k."eventId" = ${eventId}::uuid`];
  if (schoolId) kitFilters.push(Prisma.sql`k."schoolId" = ${schoolId}::uuid`);
  const badFilters: Prisma.Sql[] = [Prisma.sql`s.status = 'unrecognized'`, Prisma.sql`s."deletedAt" IS NULL`];
  if (regionCode) badFilters.push(Prisma.sql`s."regionCode" = ${regionCode}`);
  const having: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (only === 'duplicates') having.push(Prisma.sql`c.duplicates > 0`);
  if (only === 'missing') having.push(Prisma.sql`c.missing > 0`);
  const direction = order === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;

  return Prisma.sql`
    WITH per_blank AS (
      SELECT b."schoolId" AS school_id,
             count(s.id) AS n,
             count(s.id) FILTER (WHERE ${EFFECTIVE_EMPTY}) AS e
        FROM "Blank" b
        LEFT JOIN "Scan" s ON s."blankId" = b.id AND s."deletedAt" IS NULL
       WHERE ${Prisma.join(blankFilters, ' AND ')}
       GROUP BY b."schoolId", b.id
    ), c AS (
      SELECT school_id,
             COALESCE(sum(n), 0)::int AS total,
             COALESCE(sum(n) FILTER (WHERE n > 1), 0)::int AS duplicates,
             count(*) FILTER (WHERE n = 1 AND e = 1)::int AS empty,
             count(*) FILTER (WHERE n = 1 AND e = 0)::int AS filled,
             count(*) FILTER (WHERE n = 0)::int AS missing
        FROM per_blank
       GROUP BY school_id
    ), kits AS (
      SELECT k."schoolId" AS school_id, count(*)::int AS kits FROM "Kit" k WHERE ${Prisma.join(kitFilters, ' AND ')} GROUP BY 1
    ), bad AS (
      SELECT s."uploadId", count(*)::int AS n FROM "Scan" s WHERE ${Prisma.join(badFilters, ' AND ')} GROUP BY 1
    ), unrec AS (
      -- an upload's unrecognised scans hold back every school whose scans came in that upload
      SELECT x.school_id, sum(x.n)::int AS n
        FROM (SELECT DISTINCT bad."uploadId", bad.n, b."schoolId" AS school_id
                FROM bad
                JOIN "Scan" s ON s."uploadId" = bad."uploadId" AND s.status = 'recognized' AND s."deletedAt" IS NULL
                JOIN "Blank" b ON b.id = s."blankId" AND b."eventId" = ${eventId}::uuid) x
       GROUP BY x.school_id
    )
    SELECT sc.code AS "schoolCode", sc."regionCode", sc.name AS "schoolName",
           c.total, c.filled, c.duplicates, c.empty, c.missing,
           COALESCE(kits.kits, 0)::int AS kits, COALESCE(unrec.n, 0)::int AS unrecognized,
           p."submittedAt", (count(*) OVER ())::int AS matched
      FROM c
      JOIN "School" sc ON sc.id = c.school_id
      LEFT JOIN kits ON kits.school_id = c.school_id
      LEFT JOIN unrec ON unrec.school_id = c.school_id
      LEFT JOIN "Protocol" p ON p."eventId" = ${eventId}::uuid AND p."schoolId" = c.school_id
     WHERE ${Prisma.join(having, ' AND ')}
     ORDER BY ${SORT_COLUMNS[sort]} ${direction}, sc.code ASC
     LIMIT ${limit} OFFSET ${offset}`;
}

/** A page past the end still says how many schools matched. */
async function countMatched(prisma: PrismaClient, options: CountSchoolsOptions): Promise<number> {
  const { matched } = await countSchools(prisma, { ...options, limit: 1, offset: 0 });
  return matched;
}
