import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { Database } from '../src/db/open-database.ts';
import { cloneTemplateDatabase, databaseKinds, openTestDatabase } from './helpers.ts';

/**
 * The counts the database keeps (Blank.liveScans / emptyScans, SchoolCompleteness) against a recount from the raw
 * rows, after every kind of change the application makes: inserts in bulk, deletions, a number moved to another blank,
 * a person's verdict on the fill, a whole blank removed from the registry. On PostgreSQL, two transactions adding a
 * scan of the same blank at once both count.
 */

const RECOUNT = `
  SELECT b."eventId", b."schoolId",
         count(DISTINCT b."kitId")::int AS kits, count(*)::int AS blanks, COALESCE(sum(x.n), 0)::int AS total,
         COALESCE(sum(x.n) FILTER (WHERE x.n > 1), 0)::int AS duplicates,
         (count(*) FILTER (WHERE x.n = 1 AND x.e = 1))::int AS empty,
         (count(*) FILTER (WHERE x.n = 1 AND x.e = 0))::int AS filled,
         (count(*) FILTER (WHERE x.n = 0))::int AS missing
    FROM "Blank" b
    CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE COALESCE(s."fillOverride", s.fill) = 'empty') AS e
                          FROM "Scan" s WHERE s."blankId" = b.id AND s."deletedAt" IS NULL) x
   GROUP BY 1, 2 ORDER BY 1, 2`;
const KEPT = `SELECT "eventId", "schoolId", kits, blanks, total, duplicates, empty, filled, missing FROM "SchoolCompleteness" ORDER BY 1, 2`;

async function seed(prisma: PrismaClient) {
  const user = await prisma.user.create({ data: { login: 'counts_admin', role: 'admin' } });
  const event = await prisma.event.create({ data: { code: 'COUNTS', title: 'Счёт', date: new Date('2026-04-15') } });
  const schools = [];
  for (const code of ['sch770101', 'sch770102']) {
    const school = await prisma.school.create({ data: { code, regionCode: '77' } });
    const blanks = [];
    for (let k = 0; k < 3; k++) {
      const kit = await prisma.kit.create({ data: { eventId: event.id, schoolId: school.id, number: `${code.slice(-3)}${k}`, slots: 4 } });
      for (let p = 1; p <= 4; p++) {
        blanks.push(await prisma.blank.create({ data: { number: `${code.slice(-3)}${k}${p}`.padStart(17, '9'), kitId: kit.id, position: p, eventId: event.id, schoolId: school.id, regionCode: '77' } }));
      }
    }
    schools.push({ school, blanks });
  }
  const upload = await prisma.upload.create({ data: { regionCode: '77', uploadedById: user.id, fileName: 'counts.zip', status: 'done' } });
  return { event, schools, upload };
}

describe.each(databaseKinds())('completeness counts kept by the database on %s', (kind) => {
  let db: Database;
  let seeded: Awaited<ReturnType<typeof seed>>;
  let entry = 0;
  const scanData = (blank: { id: string; number: string }, fill: 'filled' | 'empty' = 'filled') => {
    entry += 1;
    return { uploadId: seeded.upload.id, regionCode: '77', entryName: `${entry}.jpg`, entryIndex: entry, sha256: `c${entry}`, storageKey: `k/${entry}`, status: 'recognized' as const, blankNumber: blank.number, blankId: blank.id, fill };
  };
  const expectKeptEqualsRecount = async () => {
    const kept = await db.prisma.$queryRawUnsafe<unknown[]>(KEPT);
    const recount = await db.prisma.$queryRawUnsafe<unknown[]>(RECOUNT);
    expect(kept).toEqual(recount);
    const drift = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`
      SELECT count(*)::int AS n FROM "Blank" b
       WHERE b."liveScans" <> (SELECT count(*) FROM "Scan" s WHERE s."blankId" = b.id AND s."deletedAt" IS NULL)
          OR b."emptyScans" <> (SELECT count(*) FROM "Scan" s WHERE s."blankId" = b.id AND s."deletedAt" IS NULL AND COALESCE(s."fillOverride", s.fill) = 'empty')`);
    expect(drift[0]?.n).toBe(0);
  };

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    seeded = await seed(db.prisma);
  });
  afterAll(async () => db?.close());

  it('follows bulk inserts, deletions, moved numbers, verdicts and registry changes', async () => {
    const [a, b] = seeded.schools;
    if (!a || !b) throw new Error('seed');
    // every school starts with a row of missing blanks
    expect(await db.prisma.schoolCompleteness.findMany({ orderBy: { schoolId: 'asc' } })).toHaveLength(2);
    await expectKeptEqualsRecount();

    await db.prisma.scan.createMany({ data: a.blanks.slice(0, 8).map((blank, i) => scanData(blank, i % 3 === 0 ? 'empty' : 'filled')) });
    await db.prisma.scan.createMany({ data: [a.blanks[0], a.blanks[1], b.blanks[0]].map((blank) => scanData(blank ?? { id: '', number: '' })) });
    await expectKeptEqualsRecount();
    const row = await db.prisma.schoolCompleteness.findFirstOrThrow({ where: { schoolId: a.school.id } });
    expect(row).toMatchObject({ blanks: 12, kits: 3, total: 10, duplicates: 4, missing: 4 });

    const live = await db.prisma.scan.findMany({ where: { blankId: a.blanks[0]?.id }, orderBy: { entryIndex: 'asc' } });
    await db.prisma.scan.update({ where: { id: live[0]?.id ?? '' }, data: { deletedAt: new Date() } });
    await expectKeptEqualsRecount();
    // a person files a scan under another blank, of the other school
    await db.prisma.scan.update({ where: { id: live[1]?.id ?? '' }, data: { blankId: b.blanks[5]?.id ?? null, blankNumber: b.blanks[5]?.number ?? null } });
    await expectKeptEqualsRecount();
    await db.prisma.scan.updateMany({ where: { blankId: { in: a.blanks.map((x) => x.id) }, fill: 'empty' }, data: { fillOverride: 'filled' } });
    await expectKeptEqualsRecount();
    // an update that moves no count leaves the rows as they were
    await db.prisma.scan.updateMany({ data: { rotation: 90 } });
    await expectKeptEqualsRecount();
    // a kit leaves the registry with its blanks and their scans
    const kitId = a.blanks[11]?.kitId ?? '';
    await db.prisma.scan.deleteMany({ where: { blank: { kitId } } });
    await db.prisma.kit.delete({ where: { id: kitId } });
    await expectKeptEqualsRecount();
    expect(await db.prisma.schoolCompleteness.findFirstOrThrow({ where: { schoolId: a.school.id } })).toMatchObject({ blanks: 8, kits: 2 });
    // the uploads that brought each school's scans are known, for the unrecognised-scan gate
    expect(await db.prisma.uploadSchool.count({ where: { uploadId: seeded.upload.id } })).toBe(2);
  });

  it.runIf(kind === 'postgresql')('counts both of two scans of one blank added by concurrent transactions', async () => {
    const url = await cloneTemplateDatabase(`counts_${process.pid}`);
    const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const [one, two] = clients as [pg.Client, pg.Client];
      await one.query(`INSERT INTO "User"(id, login, role, "updatedAt") VALUES ('00000000-0000-4000-8000-0000000000aa', 'race', 'admin', now())`);
      await one.query(`INSERT INTO "Event"(id, code, title, date) VALUES ('00000000-0000-4000-8000-0000000000bb', 'RACE', 'Гонка', '2026-04-15')`);
      await one.query(`INSERT INTO "School"(id, code, "regionCode") VALUES ('00000000-0000-4000-8000-0000000000cc', 'sch779999', '77')`);
      await one.query(`INSERT INTO "Kit"(id, "eventId", "schoolId", number, slots) VALUES ('00000000-0000-4000-8000-0000000000dd', '00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000cc', '999999', 1)`);
      await one.query(`INSERT INTO "Blank"(id, number, "kitId", position, "eventId", "schoolId", "regionCode") VALUES ('00000000-0000-4000-8000-0000000000ee', '99999999999999999', '00000000-0000-4000-8000-0000000000dd', 1, '00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000cc', '77')`);
      await one.query(`INSERT INTO "Upload"(id, "regionCode", "uploadedById", "fileName", status) VALUES ('00000000-0000-4000-8000-0000000000f1', '77', '00000000-0000-4000-8000-0000000000aa', 'race-1.zip', 'done'), ('00000000-0000-4000-8000-0000000000f2', '77', '00000000-0000-4000-8000-0000000000aa', 'race-2.zip', 'done')`);
      const insert = (c: pg.Client, n: number) =>
        c.query(`INSERT INTO "Scan"(id, "uploadId", "regionCode", "entryName", "entryIndex", sha256, "storageKey", status, "blankNumber", "blankId", "updatedAt")
                 VALUES (gen_random_uuid(), '00000000-0000-4000-8000-0000000000f${n}', '77', 'p${n}.jpg', ${n}, 's${n}', 'k${n}', 'recognized', '99999999999999999', '00000000-0000-4000-8000-0000000000ee', now())`);
      await one.query('BEGIN');
      await two.query('BEGIN');
      await insert(one, 1);
      // the second waits on the first's lock of the blank, then recounts with the first's scan committed
      const second = insert(two, 2).then(() => two.query('COMMIT'));
      await new Promise((r) => setTimeout(r, 300));
      await one.query('COMMIT');
      await second;
      const { rows } = await one.query<{ liveScans: number; duplicates: number; total: number }>(
        `SELECT b."liveScans", c.duplicates, c.total FROM "Blank" b JOIN "SchoolCompleteness" c ON c."schoolId" = b."schoolId" WHERE b.id = '00000000-0000-4000-8000-0000000000ee'`,
      );
      expect(rows[0]).toEqual({ liveScans: 2, duplicates: 2, total: 2 });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
