import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmUpEmbeddedDatabase } from './embedded-wasm.ts';
import { pgliteRunner } from './sql-runner.ts';

const run = promisify(execFile);
const MODULE_URL = pathToFileURL(fileURLToPath(new URL('./embedded-wasm.ts', import.meta.url))).href;

/**
 * A child process with V8's test natives. Small wasm modules of two functions (each a summing loop): one compiled
 * inside the window, its first function run there, its second first run after it; another compiled after the window
 * (other bytes, so V8 does not reuse the first compilation). However hot they get, both functions of the first stay
 * baseline code; the second module's loop is optimised once hot, and a function run once is left as it is.
 */
const CHILD = `
const { withoutWasmOptimisation } = await import(${JSON.stringify(MODULE_URL)});
// (func (param i32) (result i32) (local i32) loop: acc += n; n -= 1; br_if n), twice, exported under two letters
const body = [25, 1,1,127, 3,64, 32,1,32,0,106,33,1, 32,0,65,1,107,34,0, 13,0, 11, 32,1, 11];
const compile = (first, second) => {
  const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 1,6,1,96,1,127,1,127, 3,3,2,0,0,
    7,9,2,1,first.charCodeAt(0),0,0,1,second.charCodeAt(0),0,1, 10,53,2, ...body, ...body]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
};
const inside = await withoutWasmOptimisation(async () => { const module = compile('a', 'b'); module.a(10); return module; });
const after = compile('c', 'd');
// called once: only hot functions are optimised
after.d(10);
const until = Date.now() + 20000;
while (Date.now() < until && !%IsTurboFanFunction(after.c)) { inside.a(1e6); inside.b(1e6); after.c(1e6); await new Promise((r) => setTimeout(r, 1)); }
// a little longer for anything queued for the inside module
for (let i = 0; i < 50; i++) { inside.a(1e6); inside.b(1e6); await new Promise((r) => setTimeout(r, 1)); }
console.log(JSON.stringify({
  sum: after.c(100),
  insideRunInWindow: %IsLiftoffFunction(inside.a),
  insideFirstRunAfter: %IsLiftoffFunction(inside.b),
  afterHotOptimised: %IsTurboFanFunction(after.c),
  afterColdBaseline: %IsLiftoffFunction(after.d),
}));
`;

describe('withoutWasmOptimisation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'collector-wasm-tier-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a module compiled inside it on the baseline tier, and lets a module compiled after it be optimised where hot', async () => {
    const script = path.join(dir, 'tiers.mjs');
    await writeFile(script, CHILD);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', script], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ sum: 5050, insideRunInWindow: true, insideFirstRunAfter: true, afterHotOptimised: true, afterColdBaseline: true });
  }, 90_000);
});

describe('warmUpEmbeddedDatabase', () => {
  it('runs the statements and leaves nothing behind', async () => {
    const db = await PGlite.create();
    try {
      await db.exec('CREATE TABLE kept (id integer PRIMARY KEY)');
      await warmUpEmbeddedDatabase(pgliteRunner(db));
      const left = await db.query<{ kit: string | null; scan: string | null; tables: number }>(
        `SELECT to_regclass('warm_kit')::text AS kit, to_regclass('warm_scan')::text AS scan, (SELECT count(*)::integer FROM pg_tables WHERE schemaname = 'public') AS tables`,
      );
      expect(left.rows[0]).toEqual({ kit: null, scan: null, tables: 1 });
      // the connection is usable afterwards, outside any transaction
      await db.exec('INSERT INTO kept VALUES (1)');
      expect((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM kept')).rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});
