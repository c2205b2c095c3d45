import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/db/migrate.ts';
import { pgClientRunner, pgliteRunner } from '../src/db/sql-runner.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    /** a migrated template database on the PostgreSQL server, or '' when none is reachable */
    postgresTemplateUrl: string;
    /** a Redis server for the queue suites, or '' when none answers */
    redisUrl: string;
  }
}

const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * Prepares both databases once per run: a migrated PGlite snapshot that every test file clones,
 * and, when a PostgreSQL server answers, a fresh migrated template database on it.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-test-'));
  const db = new PGlite();
  await migrate(pgliteRunner(db));
  const snapshot = await db.dumpDataDir('none');
  await db.close();
  const snapshotPath = path.join(dir, 'pglite-snapshot.tar');
  await writeFile(snapshotPath, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshot', snapshotPath);

  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  const template = `collector_test_${process.pid}_${Date.now().toString(36)}`;
  let templateUrl = '';
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  let connected = false;
  try {
    await admin.connect();
    connected = true;
  } catch (error) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required but not reachable at ${adminUrl}`, { cause: error });
    console.warn(`\n  PostgreSQL not reachable at ${adminUrl}: the PostgreSQL suites are skipped in this run.\n`);
  }
  if (connected) {
    await admin.query(`CREATE DATABASE "${template}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    templateUrl = url.href;
    const client = new pg.Client({ connectionString: templateUrl });
    await client.connect();
    await migrate(pgClientRunner(client));
    await client.end();
  }
  project.provide('postgresTemplateUrl', templateUrl);

  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    project.provide('redisUrl', redisUrl);
  } catch (error) {
    if (process.env.REQUIRE_REDIS === '1') throw new Error(`Redis is required but not reachable at ${redisUrl}`, { cause: error });
    console.warn(`\n  Redis not reachable at ${redisUrl}: the Redis queue suites are skipped in this run.\n`);
    project.provide('redisUrl', '');
  } finally {
    redis.disconnect();
  }

  return async () => {
    if (templateUrl) {
      // test databases cloned from the template are named after it
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${template}%`]);
      for (const row of rows.reverse()) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await admin.end();
    }
    await rm(dir, { recursive: true, force: true });
  };
}
