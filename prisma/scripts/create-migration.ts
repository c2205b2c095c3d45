/**
 * Dev-time: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the
 * database from the existing migrations to prisma/schema.prisma.
 *
 * Prisma's CLI cannot run here (it downloads a native schema engine), so this drives the
 * wasm schema engine directly: the existing migrations are replayed into an in-memory PGlite
 * (the shadow database) and diffed against the schema.
 *
 *   pnpm db:migration <name>
 */
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = path.join(prismaDir, 'migrations');
const schemaPath = path.join(prismaDir, 'schema.prisma');

async function loadSchemaEngine() {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = (await import(bgPath)) as typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmBytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  (bg as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg.SchemaEngine;
}

async function listMigrations() {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
}

async function main() {
  const name = (process.argv[2] ?? '').trim();
  if (!/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: pnpm db:migration <name>   (lowercase letters, digits, underscores)');
    process.exit(1);
  }
  await mkdir(migrationsDir, { recursive: true });
  const schema = await readFile(schemaPath, 'utf8');
  const SchemaEngine = await loadSchemaEngine();
  const db = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  const migrationDirectories = await listMigrations();
  const result = await engine.diff({
    from:
      migrationDirectories.length === 0
        ? { tag: 'empty' }
        : {
            tag: 'migrations',
            baseDir: migrationsDir,
            lockfile: { path: 'migration_lock.toml', content: await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8') },
            shadowDbInitScript: '',
            migrationDirectories,
          },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: true,
    filters: { externalTables: [], externalEnums: [] },
  });
  await db.close();
  const sql = result.stdout ?? '';
  if (result.exitCode === 0 || sql.trim() === '' || sql.includes('This is an empty migration')) {
    console.log('The schema matches the migrations: nothing to write.');
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
}

await main();
