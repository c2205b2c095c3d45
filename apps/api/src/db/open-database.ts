import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { lockDataDir } from './data-dir-lock.ts';
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

/** Opens the database, applies pending migrations, and returns a Prisma client on it. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgresql') {
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
    const pglite = await PGlite.create(dataDir, target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
    await migrate(pgliteRunner(pglite));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
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
