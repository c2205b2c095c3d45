/**
 * `pnpm bench:completeness`: the completeness screen at scale. One event of SCHOOLS schools × 30 kits × 10 blanks
 * (default 2,000 schools: 600,000 blanks and about 600,000 scans) is seeded with set-based SQL, on the embedded
 * database (PGlite, in a data folder) and on PostgreSQL (a scratch database on DATABASE_URL's server, default
 * 127.0.0.1:5432, dropped afterwards). Then the server answers, through the real routes:
 *   - an event's school list (GET /api/completeness/events/:event/schools, the first 200 by code, and sorted by
 *     duplicates) and
 *   - one school's kit grid (GET /api/completeness/schools/:school/kits),
 * timed inside the process (app.inject: routing, validation, the query and serialisation, no network), median of
 * RUNS after a warm-up, with EXPLAIN (ANALYZE, BUFFERS) of both queries.
 *
 * The seeded truth per blank (by its serial): 3 % nothing arrived, 2 % two scans (duplicate), 10 % empty, 1 % a
 * deleted scan before a live one, the rest filled; one upload per school, a few with an unrecognised page.
 * ONLY=pglite|postgresql runs one side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database, type DatabaseKind } from '../src/db/open-database.ts';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { kitGridSql } from '../src/services/completeness/build-kit-grid.ts';
import { schoolCountsSql } from '../src/services/completeness/count-schools.ts';
import { protocolDueAt } from '../src/services/completeness/protocol-due.ts';
import { newToken } from '../src/services/tokens.ts';

const SCHOOLS = Number(process.env.SCHOOLS ?? 2000);
const KITS = 30;
const SLOTS = 10;
const RUNS = Number(process.env.RUNS ?? 7);
const EVENT = 'BENCH-2026';
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const SEED: string[] = [
  `INSERT INTO "Region"(code, name) SELECT lpad(r::text, 2, '0'), 'Регион ' || r FROM generate_series(1, 20) r ON CONFLICT DO NOTHING`,
  `INSERT INTO "User"(id, login, role, "updatedAt") VALUES ('00000000-0000-4000-8000-000000000001', 'bench_admin', 'admin', now())`,
  `INSERT INTO "Event"(id, code, title, date) VALUES ('00000000-0000-4000-8000-0000000000e1', '${EVENT}', 'ВПР (нагрузочный)', '2026-04-15')`,
  // a second, small event, so the event's blanks are a range of the index and not the whole table
  `INSERT INTO "Event"(id, code, title, date) VALUES ('00000000-0000-4000-8000-0000000000e2', 'BENCH-OTHER', 'Другое мероприятие', '2026-03-01')`,
  `INSERT INTO "School"(id, code, "regionCode", name)
     SELECT gen_random_uuid(), 'sch' || lpad((i % 20 + 1)::text, 2, '0') || lpad(i::text, 5, '0'), lpad((i % 20 + 1)::text, 2, '0'), 'Школа № ' || i
       FROM generate_series(1, ${SCHOOLS}) i`,
  `CREATE TEMP TABLE bench_school AS SELECT id, code, "regionCode", row_number() OVER (ORDER BY code) - 1 AS n FROM "School" WHERE code LIKE 'sch%'`,
  `INSERT INTO "Kit"(id, "eventId", "schoolId", number, slots)
     SELECT gen_random_uuid(), '00000000-0000-4000-8000-0000000000e1', s.id, (100000 + s.n * ${KITS} + k)::text, ${SLOTS}
       FROM bench_school s, generate_series(0, ${KITS - 1}) k`,
  `INSERT INTO "Kit"(id, "eventId", "schoolId", number, slots)
     SELECT gen_random_uuid(), '00000000-0000-4000-8000-0000000000e2', s.id, (900000 + s.n)::text, ${SLOTS} FROM bench_school s WHERE s.n < 200`,
  `INSERT INTO "Blank"(id, number, "kitId", position, "eventId", "schoolId", "regionCode")
     SELECT gen_random_uuid(), '2026' || lpad(((k.number::int) * ${SLOTS} + p)::text, 13, '0'), k.id, p, k."eventId", k."schoolId", s."regionCode"
       FROM "Kit" k JOIN bench_school s ON s.id = k."schoolId", generate_series(1, ${SLOTS}) p`,
  `INSERT INTO "Upload"(id, "regionCode", "uploadedById", "fileName", status)
     SELECT gen_random_uuid(), s."regionCode", '00000000-0000-4000-8000-000000000001', s.code || '.zip', 'done' FROM bench_school s`,
  // copy 0: every blank but the 3 % missing; copy 1: the 2 % duplicates and the 1 % deleted-then-rescanned
  `INSERT INTO "Scan"(id, "uploadId", "regionCode", "entryName", "entryIndex", sha256, "storageKey", status, "blankNumber", "blankId", fill, "inkScore", "deletedAt", "updatedAt")
     SELECT gen_random_uuid(), u.id, b."regionCode", 'scan-' || serial || '-' || copy || '.jpg', (serial * 2 + copy)::int, md5(b.number || copy),
            u.id || '/' || serial || '-' || copy || '.jpg', 'recognized', b.number, b.id,
            (CASE WHEN copy = 0 AND serial % 100 BETWEEN 5 AND 14 THEN 'empty' ELSE 'filled' END)::"Fill",
            CASE WHEN copy = 0 AND serial % 100 BETWEEN 5 AND 14 THEN (serial % 13) / 1000.0 ELSE 0.2 + (serial % 17) / 100.0 END,
            CASE WHEN copy = 0 AND serial % 100 = 15 THEN now() END, now()
       FROM (SELECT b.*, right(b.number, 13)::bigint AS serial FROM "Blank" b) b
       JOIN "School" sc ON sc.id = b."schoolId"
       JOIN "Upload" u ON u."fileName" = sc.code || '.zip',
            generate_series(0, 1) copy
      WHERE (copy = 0 AND serial % 100 >= 3) OR (copy = 1 AND serial % 100 IN (3, 4, 15))`,
  `INSERT INTO "Scan"(id, "uploadId", "regionCode", "entryName", "entryIndex", sha256, "storageKey", status, reason, "updatedAt")
     SELECT gen_random_uuid(), u.id, u."regionCode", 'unreadable.jpg', 1, md5(u.id::text), u.id || '/unreadable.jpg', 'unrecognized', 'no_barcode', now()
       FROM "Upload" u WHERE u."fileName" LIKE 'sch%' AND abs(hashtext(u.id::text)) % 10 = 0`,
  `ANALYZE`,
];

interface Figures {
  kind: DatabaseKind;
  seedSeconds: number;
  blanks: number;
  scans: number;
  listMs: number[];
  listSortedMs: number[];
  gridMs: number[];
  listPlan: string;
  gridPlan: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function runOn(kind: DatabaseKind): Promise<Figures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-bench-completeness-'));
  let database: Database;
  let dropDatabase = async () => {};
  if (kind === 'pglite') {
    database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
  } else {
    const name = `collector_bench_completeness_${process.pid}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    database = await openDatabase({ kind: 'postgresql', url: url.href });
    dropDatabase = async () => {
      const again = new pg.Client({ connectionString: POSTGRES_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    };
  }
  const prisma = database.prisma;
  try {
    const seedStarted = performance.now();
    // one transaction on one connection: the temporary table is seen by every statement
    await prisma.$transaction(
      async (tx) => {
        for (const sql of SEED.slice(0, -1)) await tx.$executeRawUnsafe(sql);
      },
      { timeout: 3_600_000, maxWait: 60_000 },
    );
    await prisma.$executeRawUnsafe(SEED.at(-1) ?? 'ANALYZE');
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const [{ blanks = 0, scans = 0 } = {}] = await prisma.$queryRaw<{ blanks: number; scans: number }[]>`
      SELECT (SELECT count(*) FROM "Blank" WHERE "eventId" = '00000000-0000-4000-8000-0000000000e1')::int AS blanks, (SELECT count(*) FROM "Scan")::int AS scans`;
    process.stderr.write(`${kind}: seeded ${blanks} blanks and ${scans} scans in ${seedSeconds.toFixed(1)} s\n`);

    const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1:8080', WEB_DIST_DIR: path.join(dataDir, 'no-web') });
    const app = await buildApp({ config, database, logger: false, processUploads: false });
    await app.ready();
    const { token, hash } = newToken();
    await prisma.session.create({ data: { id: hash, userId: '00000000-0000-4000-8000-000000000001', expiresAt: new Date(Date.now() + 3600_000) } });
    const cookie = `collector_session=${token}`;
    const school = await prisma.school.findFirstOrThrow({ where: { code: { startsWith: 'sch' } }, orderBy: { code: 'desc' } });

    const time = async (url: string): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const started = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        const elapsed = performance.now() - started;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (i > 0) ms.push(elapsed); // the first run warms the caches
      }
      return ms;
    };
    const listMs = await time(`/api/completeness/events/${EVENT}/schools`);
    const listSortedMs = await time(`/api/completeness/events/${EVENT}/schools?sort=duplicates&order=desc`);
    const gridMs = await time(`/api/completeness/schools/${school.code}/kits?event=${EVENT}`);

    const event = await prisma.event.findUniqueOrThrow({ where: { code: EVENT } });
    const explain = async (sql: Prisma.Sql) =>
      (await prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`).map((r) => r['QUERY PLAN']).join('\n');
    const listPlan = await explain(schoolCountsSql({ eventId: event.id, protocolDueAt: protocolDueAt(event.date) }));
    const gridPlan = await explain(kitGridSql(event.id, school.id));
    await app.close();
    return { kind, seedSeconds, blanks, scans, listMs, listSortedMs, gridMs, listPlan, gridPlan };
  } finally {
    await database.close();
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const kinds: DatabaseKind[] = process.env.ONLY ? [process.env.ONLY as DatabaseKind] : ['postgresql', 'pglite'];
const results: Figures[] = [];
for (const kind of kinds) results.push(await runOn(kind));
for (const r of results) {
  console.log(`\n=== ${r.kind}: ${r.blanks.toLocaleString('en')} blanks, ${r.scans.toLocaleString('en')} scans (seeded in ${r.seedSeconds.toFixed(1)} s) ===`);
  console.log(`school list (first 200 by code): median ${median(r.listMs).toFixed(1)} ms, min ${Math.min(...r.listMs).toFixed(1)} ms over ${r.listMs.length} runs`);
  console.log(`school list (sorted by duplicates): median ${median(r.listSortedMs).toFixed(1)} ms, min ${Math.min(...r.listSortedMs).toFixed(1)} ms`);
  console.log(`kit grid (one school, 300 blanks): median ${median(r.gridMs).toFixed(1)} ms, min ${Math.min(...r.gridMs).toFixed(1)} ms`);
  console.log(`\n--- ${r.kind}: plan of the school list ---\n${r.listPlan}`);
  console.log(`\n--- ${r.kind}: plan of the kit grid ---\n${r.gridPlan}`);
}
