import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ProcessContext } from './process-upload.ts';
import { MAX_ATTEMPTS, QUEUE_NAME, STALE_CLAIM_SECONDS, claimById, newWorkerId, runClaimed, type UploadQueue } from './upload-queue.ts';

/*
 * The Redis side of the upload queue, in a module of its own: BullMQ and ioredis are loaded only by processes that
 * use them (REDIS_URL set), not by every embedded server.
 */

export function redisConnection(url: string): Redis {
  // BullMQ's blocking commands need maxRetriesPerRequest: null
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** With REDIS_URL: the API only adds jobs; `pnpm start:worker` processes run them. */
export function createRedisQueue(redisUrl: string, prefix: string): UploadQueue {
  const connection = redisConnection(redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  return {
    kind: 'redis',
    async enqueue(uploadId) {
      // the job id is the upload's: enqueueing twice (a retry, a resubmitted password) adds one job
      await queue.add('process', { uploadId }, { jobId: uploadId, removeOnComplete: true, removeOnFail: 1000 });
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** A BullMQ worker process: claims each job's upload row, runs it, and lets BullMQ re-deliver jobs of dead workers. */
export function startRedisWorker(ctx: ProcessContext, redisUrl: string, prefix: string): { close(): Promise<void>; workerId: string } {
  const workerId = newWorkerId();
  const connection = redisConnection(redisUrl);
  const worker = new Worker<{ uploadId: string }>(
    QUEUE_NAME,
    async (job) => {
      const { uploadId } = job.data;
      if (!(await claimById(ctx.prisma, uploadId, workerId))) return;
      await runClaimed(ctx, uploadId, workerId);
    },
    { connection, prefix, concurrency: 1, lockDuration: STALE_CLAIM_SECONDS * 1000, maxStalledCount: MAX_ATTEMPTS },
  );
  worker.on('error', (error) => ctx.log.warn({ err: error }, 'queue worker error'));
  return {
    workerId,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
