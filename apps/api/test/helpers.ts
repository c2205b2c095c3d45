import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database, type DatabaseKind } from '../src/db/open-database.ts';
import { createUser } from '../src/services/create-user.ts';

/** The databases this run tests against: PGlite always, PostgreSQL when a server is reachable. */
export function databaseKinds(): DatabaseKind[] {
  return inject('postgresTemplateUrl') ? ['pglite', 'postgresql'] : ['pglite'];
}

let counter = 0;

/** A fresh, migrated database: a clone of the PGlite snapshot, or a new database from the PostgreSQL template. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'pglite') {
    const bytes = await readFile(inject('pgliteSnapshot'));
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([bytes]) });
  }
  return openDatabase({ kind: 'postgresql', url: await cloneTemplateDatabase(`${process.pid}_${++counter}`) });
}

/**
 * A fresh database on the PostgreSQL server, cloned from the run's migrated template; its URL, for this process or
 * for server and worker processes that share it. Named after the template, so the run drops it at the end.
 */
export async function cloneTemplateDatabase(suffix: string): Promise<string> {
  const templateUrl = new URL(inject('postgresTemplateUrl'));
  const template = templateUrl.pathname.slice(1);
  const name = `${template}_${suffix}`;
  const admin = new pg.Client({ connectionString: templateUrl.href.replace(`/${template}`, '/postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  const url = new URL(templateUrl.href);
  url.pathname = `/${name}`;
  return url.href;
}

export interface TestContext {
  app: FastifyInstance;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-api-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1:8080', WEB_DIST_DIR: path.join(dataDir, 'no-web'), ...env });
  const db = await openTestDatabase(kind);
  const app = await buildApp({ config, database: db, logger: false });
  await app.ready();
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export const PASSWORD = 'correct-horse-battery';

export async function addUser(ctx: TestContext, login: string, role: 'admin' | 'coordinator' | 'operator', regionCode: string | null) {
  const { user } = await createUser(ctx.db.prisma, { login, password: PASSWORD, role, regionCode });
  return user;
}

/** Signs in through the API and returns the Cookie header value for later requests. */
export async function signIn(ctx: TestContext, login: string, password = PASSWORD): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
  return sessionCookie(res);
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'collector_session');
  if (!cookie) throw new Error('no session cookie in the response');
  return `${cookie.name}=${cookie.value}`;
}
