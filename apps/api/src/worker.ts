import path from 'node:path';
import pino from 'pino';
import { loadConfigOrExit } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import { createDiskStorage } from './plugins/app/storage.ts';
import { lazyAnalyser } from './plugins/app/uploads.ts';
import { createPasswordBox, loadArchiveKey } from './services/uploads/archive-password-box.ts';
import { startRedisWorker } from './services/uploads/redis-upload-queue.ts';

/**
 * `pnpm start:worker`: a processing worker for the Redis queue. It may run on another machine that shares the
 * database (DATABASE_URL), the file storage (DATA_DIR) and the archive key (ARCHIVE_KEY or DATA_DIR's key file).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  if (!config.redisUrl || !config.databaseUrl) {
    console.error('pnpm start:worker needs REDIS_URL (the job queue) and DATABASE_URL (the shared PostgreSQL database); without them the API processes uploads itself.');
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });
  const database = await openDatabase({ kind: 'postgresql', url: config.databaseUrl });
  const analyser = lazyAnalyser(config.scanWorkers);
  const passwords = createPasswordBox(await loadArchiveKey(config.dataDir, config.archiveKey));
  const worker = startRedisWorker(
    {
      prisma: database.prisma,
      storage: createDiskStorage(path.join(config.dataDir, 'scans')),
      passwords,
      log,
      get analyser() {
        return analyser.get();
      },
    },
    config.redisUrl,
    config.redisQueuePrefix,
  );
  log.info({ workerId: worker.workerId }, 'upload worker started');
  console.log(`Коллектор: обработчик загрузок запущен (${worker.workerId})`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await worker.close();
    await analyser.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

await main();
