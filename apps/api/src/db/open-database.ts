import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PrismaClient } from '../generated/prisma/client.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { warmUpEmbeddedDatabase, withoutWasmOptimisation } from './embedded-wasm.ts';
import { migrate } from './migrate.ts';
import { pgClientRunner, pgliteRunner } from './sql-runner.ts';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgresql'; url: string }
  /** dataDir undefined → in memory; loadDataDir → start from a saved snapshot (tests) */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob | File };

/**
 * The embedded database lives inside the server process, so its memory is the server's. PostgreSQL's default of
 * 128 MB of shared buffers cost the process about 120 MB of resident memory for pages the operating system's file
 * cache holds anyway. 8 MB keeps the hot index pages of an upload's writes and leaves the rest to that cache: 16 MB
 * held 12 MB more for no less CPU, while 4 MB made a 1,000-page upload cost a quarter more CPU (evicted pages are
 * written out and read back).
 */
const PGLITE_SETTINGS = ['shared_buffers = 8MB'];

/** bin/create-embedded-database.mjs: plain JavaScript, run by node as it is (from the sources and from the bundle) */
const CREATE_EMBEDDED_DATABASE = fileURLToPath(new URL('../../bin/create-embedded-database.mjs', import.meta.url));

/**
 * A new embedded database is created (PGlite's initdb) in a short-lived process of its own: creating it takes
 * a process to about 780 MB, and a WebAssembly memory never shrinks, so a server that created its database itself
 * went on holding tens of MB more than after a restart.
 */
async function createEmbeddedDatabase(dataDir: string): Promise<void> {
  const exists = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (exists) return;
  await promisify(execFile)(process.execPath, [CREATE_EMBEDDED_DATABASE, dataDir, JSON.stringify(PGLITE_SETTINGS)], { maxBuffer: 16 * 1024 * 1024 });
}

/** Opens the database, applies pending migrations, and returns a Prisma client on it. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgresql') {
    // each driver is loaded only by the processes that use it: PGlite alone holds tens of MB of compiled WebAssembly
    const [{ default: pg }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await migrate(pgClientRunner(client));
    } finally {
      await client.end();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) });
    return { kind: 'postgresql', prisma, close: () => prisma.$disconnect() };
  }

  let dataDir: string | undefined;
  let unlock = async () => {};
  if (target.dataDir) {
    dataDir = path.resolve(target.dataDir);
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  try {
    if (dataDir && !target.loadDataDir) await createEmbeddedDatabase(dataDir);
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
    // PostgreSQL's wasm, and the wasm of Prisma's query compiler (compiled by the client's first query), by V8's
    // baseline compiler only (embedded-wasm.ts): tens of MB less, as fast for us. Optimising the query compiler's
    // hot functions alone left about 30 MB of compiler memory in a server on the embedded database.
    const { opened: pglite, client: prisma } = await withoutWasmOptimisation(async () => {
      let client: PrismaClient | undefined;
      const opened = await PGlite.create(dataDir, {
        ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
        postgresqlconf: PGLITE_SETTINGS,
      });
      try {
        const runner = pgliteRunner(opened);
        await migrate(runner);
        await warmUpEmbeddedDatabase(runner);
        client = new PrismaClient({ adapter: new PrismaPGlite(opened) });
        await client.region.findFirst({ select: { code: true } });
        return { opened, client };
      } catch (error) {
        // the first failure is the one to report
        await client?.$disconnect().catch(() => undefined);
        await opened.close().catch(() => undefined);
        throw error;
      }
    });
    return {
      kind: 'pglite',
      prisma,
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}
