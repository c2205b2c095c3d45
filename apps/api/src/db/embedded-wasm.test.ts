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
 * A child process with V8's test natives: a small wasm module (a summing loop) compiled and first run inside the
 * window stays baseline code however hot it gets, while the same loop compiled after the window (other bytes, so V8
 * does not reuse the first compilation) is optimised as usual, once hot (a function run once is left as it is).
 */
const CHILD = `
const { withoutWasmOptimisation } = await import(${JSON.stringify(MODULE_URL)});
// (func (param i32) (result i32) (local i32) loop: acc += n; n -= 1; br_if n) exported as a one-letter name
const loop = (name) => {
  const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 1,6,1,96,1,127,1,127, 3,2,1,0, 7,5,1,1,name.charCodeAt(0),0,0,
    10,27,1,25, 1,1,127, 3,64, 32,1,32,0,106,33,1, 32,0,65,1,107,34,0, 13,0, 11, 32,1, 11]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports[name];
};
const inside = await withoutWasmOptimisation(async () => { const f = loop('f'); f(10); return f; });
const after = loop('g');
// called once: with V8's dynamic tiering back on, only hot functions are optimised
const cold = loop('h');
cold(10);
const until = Date.now() + 20000;
while (Date.now() < until && !%IsTurboFanFunction(after)) { inside(1e6); after(1e6); await new Promise((r) => setTimeout(r, 1)); }
console.log(JSON.stringify({ sum: after(100), insideOptimised: %IsTurboFanFunction(inside), insideBaseline: %IsLiftoffFunction(inside), afterOptimised: %IsTurboFanFunction(after), coldBaseline: %IsLiftoffFunction(cold) }));
`;

describe('withoutWasmOptimisation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'collector-wasm-tier-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps wasm compiled inside it on the baseline tier and lets wasm compiled after it be optimised', async () => {
    const script = path.join(dir, 'tiers.mjs');
    await writeFile(script, CHILD);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', script], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ sum: 5050, insideOptimised: false, insideBaseline: true, afterOptimised: true, coldBaseline: true });
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
