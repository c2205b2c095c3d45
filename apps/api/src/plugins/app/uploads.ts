import path from 'node:path';
import { createPageAnalyser, type PageAnalyser } from '@collector/scan-core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { createPasswordBox, loadArchiveKey, type PasswordBox } from '../../services/uploads/archive-password-box.ts';
import type { ProcessContext } from '../../services/uploads/process-upload.ts';
import { createInProcessQueue, requeueWaiting, type UploadQueue } from '../../services/uploads/upload-queue.ts';

export interface Uploads {
  queue: UploadQueue;
  passwords: PasswordBox;
  /** where resumable (tus) uploads collect their bytes */
  tusDir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    uploads: Uploads;
  }
}

/** One page analyser per process, started with the first job (worker threads on every core) and closed with the app. */
export function lazyAnalyser(size: number | undefined): { get(): PageAnalyser; close(): Promise<void> } {
  let analyser: PageAnalyser | null = null;
  return {
    get() {
      analyser ??= createPageAnalyser(size === undefined ? {} : { size });
      return analyser;
    },
    async close() {
      await analyser?.close();
      analyser = null;
    },
  };
}

/** A processing context whose analyser starts on first use. */
export function processContext(app: FastifyInstance, passwords: PasswordBox, analyser: { get(): PageAnalyser }): ProcessContext {
  return {
    prisma: app.prisma,
    storage: app.storage,
    passwords,
    log: app.log,
    get analyser() {
      return analyser.get();
    },
  };
}

/**
 * Upload processing for the API process. Without Redis, jobs run here (the embedded default); with REDIS_URL they
 * go to BullMQ and `pnpm start:worker` processes run them.
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config; processUploads: boolean }) => {
    const { config } = opts;
    const passwords = createPasswordBox(await loadArchiveKey(config.dataDir, config.archiveKey));
    const analyser = lazyAnalyser(config.scanWorkers);
    const queue: UploadQueue = config.redisUrl
      ? (await import('../../services/uploads/redis-upload-queue.ts')).createRedisQueue(config.redisUrl, config.redisQueuePrefix)
      : createInProcessQueue(processContext(app, passwords, analyser), { resumeAtOnce: app.db.kind === 'pglite', start: opts.processUploads });
    app.decorate('uploads', { queue, passwords, tusDir: path.join(config.dataDir, 'tus') });
    if (queue.kind === 'redis' && opts.processUploads) app.addHook('onReady', async () => requeueWaiting(app.prisma, queue));
    app.addHook('onClose', async () => {
      await queue.close();
      await analyser.close();
    });
  },
  { name: 'uploads', dependencies: ['db', 'storage'] },
);
