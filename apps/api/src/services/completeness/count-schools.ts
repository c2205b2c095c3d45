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
 * The completeness counts of an event's schools: the rows the database keeps per school (triggers recount a school
 * whenever its blanks or their scans change), with the unrecognised scans of the uploads that brought its scans.
 * Nothing per scan or per blank comes back to JavaScript, only one row per school of the requested page.
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
  const filters: Prisma.Sql[] = [Prisma.sql`c."eventId" = ${eventId}::uuid`];
  if (regionCode) filters.push(Prisma.sql`c."regionCode" = ${regionCode}`);
  if (schoolId) filters.push(Prisma.sql`c."schoolId" = ${schoolId}::uuid`);
  if (search?.trim()) {
    const pattern = likePattern(search.trim());
    filters.push(Prisma.sql`(sc.code ILIKE ${pattern} OR sc.name ILIKE ${pattern})`);
  }
  if (only === 'duplicates') filters.push(Prisma.sql`c.duplicates > 0`);
  if (only === 'missing') filters.push(Prisma.sql`c.missing > 0`);
  const direction = order === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;

  // SchoolCompleteness holds each school's counts, kept by triggers on scans and blanks (see the migration
  // completeness_counts); the unrecognised scans are those of the uploads that brought the school's scans
  return Prisma.sql`
    SELECT sc.code AS "schoolCode", sc."regionCode", sc.name AS "schoolName",
           c.total, c.filled, c.duplicates, c.empty, c.missing, c.kits,
           COALESCE(unrec.n, 0)::int AS unrecognized,
           p."submittedAt", (count(*) OVER ())::int AS matched
      FROM "SchoolCompleteness" c
      JOIN "School" sc ON sc.id = c."schoolId"
      -- per school: its uploads (UploadSchool's key), one probe of the scans' (upload, status) index each
      LEFT JOIN LATERAL (
        SELECT sum(x.n)::int AS n
          FROM "UploadSchool" us
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM "Scan" s
                               WHERE s."uploadId" = us."uploadId" AND s.status = 'unrecognized' AND s."deletedAt" IS NULL) x
         WHERE us."eventId" = c."eventId" AND us."schoolId" = c."schoolId"
      ) unrec ON TRUE
      LEFT JOIN "Protocol" p ON p."eventId" = c."eventId" AND p."schoolId" = c."schoolId"
     WHERE ${Prisma.join(filters, ' AND ')}
     ORDER BY ${SORT_COLUMNS[sort]} ${direction}, sc.code ASC
     LIMIT ${limit} OFFSET ${offset}`;
}

/** A page past the end still says how many schools matched. */
async function countMatched(prisma: PrismaClient, options: CountSchoolsOptions): Promise<number> {
  const { matched } = await countSchools(prisma, { ...options, limit: 1, offset: 0 });
  return matched;
}
