import { loadConfigOrExit } from './config.ts';
import { buildApp } from './app.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { openDatabase, type Database } from './db/open-database.ts';
import { seedAdmin } from './services/seed-admin.ts';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);

  let database: Database;
  try {
    database = await openDatabase(
      config.databaseUrl ? { kind: 'postgresql', url: config.databaseUrl } : { kind: 'pglite', dataDir: `${config.dataDir}/pglite` },
    );
  } catch (error) {
    if (error instanceof DataDirBusyError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await buildApp({ config, database });
  const seeded = await seedAdmin(database.prisma, config);
  if (seeded) {
    const lines = [
      '',
      '  Коллектор: создан администратор',
      `    логин:  ${seeded.login}`,
      seeded.generatedPassword ? `    пароль: ${seeded.generatedPassword}   (показывается один раз; задайте ADMIN_PASSWORD, чтобы выбрать свой)` : '    пароль: из ADMIN_PASSWORD',
      '',
    ];
    console.log(lines.join('\n'));
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      clearTimeout(force);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  console.log(`\n  Коллектор работает: ${config.publicUrl}  (база данных: ${database.kind === 'pglite' ? `встроенная, ${config.dataDir}` : 'PostgreSQL'})\n`);
}

await main();
