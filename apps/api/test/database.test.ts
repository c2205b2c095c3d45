import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DataDirBusyError } from '../src/db/data-dir-lock.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { pgClientRunner, pgliteRunner } from '../src/db/sql-runner.ts';
import { seedAdmin } from '../src/services/seed-admin.ts';
import { verifyPassword } from '../src/services/passwords.ts';

describe('the embedded database', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('keeps users across a restart, seeds the admin once, and admits one opener at a time', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-db-'));
    dirs.push(dir);
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    const seeded = await seedAdmin(first.prisma, { adminLogin: 'Admin', adminPassword: undefined });
    expect(seeded?.login).toBe('admin');
    expect(seeded?.generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toBeInstanceOf(DataDirBusyError);
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(await seedAdmin(second.prisma, { adminLogin: 'admin', adminPassword: 'another-password' })).toBeNull();
    const admin = await second.prisma.user.findUniqueOrThrow({ where: { login: 'admin' } });
    expect(await verifyPassword(admin.passwordHash, seeded?.generatedPassword ?? '')).toBe(true);
    await second.close();
  });

  it('applies migrations once, records them, and refuses an edited one', { timeout: 120_000 }, async () => {
    const db = new PGlite();
    const runner = pgliteRunner(db);
    const migrations = await readMigrations();
    expect(await migrate(runner, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(runner, migrations)).toEqual([]);
    const rows = await runner.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'x'.repeat(64) } : m));
    await expect(migrate(runner, edited)).rejects.toThrow(/changed after it had been applied/);
    await db.close();
  });

  it('rolls a failing migration back whole', { timeout: 120_000 }, async () => {
    const db = new PGlite();
    const runner = pgliteRunner(db);
    const broken = [{ name: '20990101000000_broken', sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: 'b'.repeat(64) }];
    await expect(migrate(runner, broken)).rejects.toThrow();
    const tables = await runner.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Half'`);
    expect(tables[0]?.n).toBe(0);
    await db.close();
  });
});

describe.skipIf(!inject('postgresTemplateUrl'))('migrations on PostgreSQL', () => {
  it('are applied once when several processes start together on an empty database', { timeout: 120_000 }, async () => {
    const template = new URL(inject('postgresTemplateUrl'));
    const name = `${template.pathname.slice(1)}_concurrent`;
    const adminUrl = new URL(template.href);
    adminUrl.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: adminUrl.href });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(template.href);
    url.pathname = `/${name}`;
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const c = new pg.Client({ connectionString: url.href });
        await c.connect();
        return c;
      }),
    );
    try {
      const applied = await Promise.all(clients.map((c) => migrate(pgClientRunner(c))));
      const all = (await readMigrations()).map((m) => m.name);
      expect(applied.flat().sort()).toEqual(all.sort());
      const rows = await clients[0]?.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows?.rows[0]?.n).toBe(all.length);
    } finally {
      for (const c of clients) await c.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
