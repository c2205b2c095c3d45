/**
 * The embedded database's machine code. PGlite is PostgreSQL compiled to one large WebAssembly module, run in the
 * server's own process. V8 compiles each wasm function when it first runs, with its baseline compiler (Liftoff), and
 * recompiles hot ones with its optimising compiler (TurboFan); on PostgreSQL that second tier held tens of MB of code
 * and compiler memory in a server on the embedded database, and bought nothing a user waits for: the server's queries
 * are small, and a baseline-compiled PostgreSQL even answered them with less CPU, as nothing was recompiled. The page
 * workers' barcode reader (zxing, also wasm, in the same process) needs the optimising tier: without it it runs at
 * half speed.
 *
 * V8's flags are process-wide, but a wasm module keeps the tiering it was compiled with. So, with `--liftoff-only`
 * (which also turns off tier-up and dynamic tiering), PGlite is opened (its module compiled), migrated and taken
 * through the statements the server uses (warmUpEmbeddedDatabase), and the Prisma client runs its first query, which
 * compiles Prisma's query compiler (also wasm). Then `--no-liftoff-only --wasm-dynamic-tiering` bring back the
 * optimising tier for modules compiled afterwards (zxing's, for the page workers), which V8 optimises function by
 * function as they get hot. `--wasm-tier-up` stays off: it only matters to a module compiled without dynamic tiering,
 * like PGlite's, whose functions first run later would otherwise be optimised at once, hot or not.
 * When the process was started with any of these flags, they are left as given.
 */
import v8 from 'node:v8';
import type { SqlRunner } from './sql-runner.ts';

let windowsOpen = 0;

const TIERING_FLAGS = /^--(no-)?(liftoff|liftoff-only|wasm-tier-up|wasm-dynamic-tiering|wasm-lazy-compilation)(=|$)/;

/**
 * Runs `compile` with V8's optimising wasm tier off for what is compiled meanwhile, and on again (dynamic tiering)
 * for what is compiled after. Nested or overlapping calls keep it off until the last one ends. A process started with
 * its own wasm tiering flags keeps them: `compile` just runs.
 */
export async function withoutWasmOptimisation<T>(compile: () => Promise<T>): Promise<T> {
  if (process.execArgv.some((flag) => TIERING_FLAGS.test(flag))) return compile();
  if (windowsOpen++ === 0) v8.setFlagsFromString('--liftoff-only');
  try {
    return await compile();
  } finally {
    if (--windowsOpen === 0) {
      v8.setFlagsFromString('--no-liftoff-only');
      v8.setFlagsFromString('--wasm-dynamic-tiering');
    }
  }
}

/**
 * Statements of the shapes the server runs (Prisma's parameterised reads and writes, upserts, batched updates from a
 * VALUES list, joins with grouping and paging, counts, deletes) on temporary tables: PostgreSQL's parser, planner,
 * executor, index, heap and transaction code is compiled while the window of withoutWasmOptimisation is open.
 */
const WARM_UP: ReadonlyArray<readonly [string, unknown[]?]> = [
  [`CREATE TEMP TABLE warm_kit (id text PRIMARY KEY, number integer NOT NULL, region text NOT NULL, created timestamptz NOT NULL DEFAULT now())`],
  [
    `CREATE TEMP TABLE warm_scan (id serial PRIMARY KEY, kit text REFERENCES warm_kit (id) ON DELETE CASCADE, page integer NOT NULL,
      status text NOT NULL, sha256 text, ink double precision, meta jsonb, at timestamptz NOT NULL DEFAULT now(), UNIQUE (kit, page))`,
  ],
  [`CREATE INDEX ON warm_scan (status, sha256)`],
  [`INSERT INTO warm_kit (id, number, region) SELECT 'k' || n, n, CASE WHEN n % 2 = 0 THEN '77' ELSE '50' END FROM generate_series(1, 200) AS n`],
  [
    `INSERT INTO warm_scan (kit, page, status, sha256, ink, meta) SELECT 'k' || (n % 200 + 1), n / 200, 'recognized', md5(n::text), n / 7.0, jsonb_build_object('n', n)
      FROM generate_series(0, 999) AS n`,
  ],
  [`INSERT INTO warm_scan (kit, page, status) VALUES ($1, $2, $3) ON CONFLICT (kit, page) DO UPDATE SET status = EXCLUDED.status RETURNING id, status, at`, ['k1', 0, 'duplicate']],
  [`INSERT INTO warm_scan (kit, page, status, sha256) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) RETURNING *`, ['k2', 90, 'unrecognized', 'a', 'k3', 90, 'unrecognized', 'b']],
  [`UPDATE warm_scan AS s SET ink = v.ink, status = v.status FROM (VALUES (1, 0.5::double precision, 'empty'), (2, 3.0, 'filled')) AS v (id, ink, status) WHERE s.id = v.id`],
  [`UPDATE warm_scan SET meta = meta || $1::jsonb, at = now() WHERE id = $2 RETURNING id`, ['{"turned": true}', 3]],
  [
    `SELECT k.region, s.status, count(*)::integer AS pages, max(s.at) AS last, sum(s.ink) AS ink FROM warm_scan s JOIN warm_kit k ON k.id = s.kit
      WHERE k.region = ANY ($1) AND s.at > $2 GROUP BY k.region, s.status HAVING count(*) > 0 ORDER BY k.region, pages DESC LIMIT $3 OFFSET $4`,
    [['77', '50'], new Date(0), 50, 0],
  ],
  [`SELECT s.*, k.number FROM warm_scan s LEFT JOIN warm_kit k ON k.id = s.kit WHERE s.status = $1 AND s.sha256 = $2 ORDER BY s.id DESC LIMIT 1`, ['recognized', 'x']],
  [`SELECT id, number FROM warm_kit WHERE id IN (SELECT kit FROM warm_scan WHERE status = $1) AND EXISTS (SELECT 1 FROM warm_scan WHERE kit = warm_kit.id) ORDER BY number`, ['recognized']],
  [`SELECT count(*) FILTER (WHERE status = 'recognized') AS recognized, count(DISTINCT kit) AS kits, coalesce(avg(ink), 0) AS ink FROM warm_scan WHERE kit LIKE $1 OR lower(status) = $2`, ['k1%', 'empty']],
  [`DELETE FROM warm_scan WHERE page > $1 RETURNING id`, [3]],
  [`DROP TABLE warm_scan, warm_kit`],
];

/** Takes a freshly opened embedded database through the server's kinds of statements, in one rolled-back transaction. */
export async function warmUpEmbeddedDatabase(db: SqlRunner): Promise<void> {
  await db
    .transaction(async (tx) => {
      for (const [sql, params] of WARM_UP) await tx.query(sql, params ? [...params] : undefined);
      // nothing of the warm-up stays
      throw new WarmUpDone();
    })
    .catch((error: unknown) => {
      if (!(error instanceof WarmUpDone)) throw error;
    });
}

class WarmUpDone extends Error {}
