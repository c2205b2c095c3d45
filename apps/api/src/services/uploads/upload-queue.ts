import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { processUpload, type ProcessContext } from './process-upload.ts';

/**
 * Where an upload's processing job goes once its bytes are stored. The job's state lives in the database either
 * way (status, claim, heartbeat): the in-process runner claims rows itself; with Redis, BullMQ hands jobs to
 * `pnpm start:worker` processes, which may run on other machines sharing the database and the file storage.
 */
export interface UploadQueue {
  readonly kind: 'in-process' | 'redis';
  enqueue(uploadId: string): Promise<void>;
  close(): Promise<void>;
}

/** A claim not renewed for this long belongs to a process that died: another one takes the job over. */
export const STALE_CLAIM_SECONDS = 60;
/** A job that has been started this many times without ending is a poison archive: it fails instead. */
export const MAX_ATTEMPTS = 4;
const HEARTBEAT_MS = 10_000;
const POLL_MS = 5_000;

export const QUEUE_NAME = 'collector-uploads';

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Takes the oldest queued upload, or one whose claim went stale, for this worker; `FOR UPDATE SKIP LOCKED` lets
 * several processes claim side by side without taking the same row.
 */
async function claimNext(prisma: PrismaClient, workerId: string): Promise<string | null> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "Upload" SET status = 'processing', "workerId" = ${workerId}, "heartbeatAt" = now(), attempts = attempts + 1
     WHERE id = (SELECT id FROM "Upload"
                  WHERE "passwordNeeded" = false AND "archiveKey" IS NOT NULL
                    AND (status = 'queued'
                         OR (status = 'processing' AND ("heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => ${STALE_CLAIM_SECONDS}))))
                  ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id`;
  return rows[0]?.id ?? null;
}

/** Claims one named upload (a BullMQ job): only when it is queued, or its claim went stale. */
export async function claimById(prisma: PrismaClient, uploadId: string, workerId: string): Promise<boolean> {
  const claimed = await prisma.$executeRaw`
    UPDATE "Upload" SET status = 'processing', "workerId" = ${workerId}, "heartbeatAt" = now(), attempts = attempts + 1
     WHERE id = ${uploadId}::uuid AND "passwordNeeded" = false AND "archiveKey" IS NOT NULL
       AND (status = 'queued' OR (status = 'processing' AND ("workerId" = ${workerId} OR "heartbeatAt" IS NULL
            OR "heartbeatAt" < now() - make_interval(secs => ${STALE_CLAIM_SECONDS}))))`;
  return claimed === 1;
}

/** Runs one claimed upload with a heartbeat; a job that keeps failing ends as `failed` with the detail logged. */
export async function runClaimed(ctx: ProcessContext, uploadId: string, workerId: string): Promise<void> {
  const heartbeat = setInterval(() => {
    void ctx.prisma.upload.updateMany({ where: { id: uploadId, workerId }, data: { heartbeatAt: new Date() } }).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const upload = await ctx.prisma.upload.findUnique({ where: { id: uploadId }, select: { attempts: true } });
    if (upload && upload.attempts > MAX_ATTEMPTS) {
      await failUpload(ctx, uploadId, `gave up after ${MAX_ATTEMPTS} attempts`);
      return;
    }
    await processUpload(ctx, uploadId);
  } catch (error) {
    ctx.log.warn({ uploadId, err: error }, 'upload processing failed');
    const upload = await ctx.prisma.upload.findUnique({ where: { id: uploadId }, select: { attempts: true } });
    if (!upload || upload.attempts >= MAX_ATTEMPTS) await failUpload(ctx, uploadId, error instanceof Error ? error.message : String(error));
    else await ctx.prisma.upload.updateMany({ where: { id: uploadId, workerId }, data: { status: 'queued', workerId: null } });
  } finally {
    clearInterval(heartbeat);
  }
}

async function failUpload(ctx: ProcessContext, uploadId: string, detail: string): Promise<void> {
  await ctx.prisma.upload.update({
    where: { id: uploadId },
    data: { status: 'failed', failure: detail.slice(0, 2000), passwordCipher: null, workerId: null, finishedAt: new Date() },
  });
}

/**
 * The embedded default: jobs run in this process, one upload at a time (each already uses every core through the
 * page analyser), claimed from the database so that a restart picks up whatever a killed process left.
 */
export function createInProcessQueue(ctx: ProcessContext, options: { resumeAtOnce: boolean; start: boolean }): UploadQueue {
  const workerId = newWorkerId();
  let wake: (() => void) | null = null;
  let closed = false;
  let running: Promise<void> = Promise.resolve();

  const loop = async () => {
    if (options.resumeAtOnce) {
      // the embedded database admits one process: whatever is 'processing' was left by a process that died
      await ctx.prisma.upload.updateMany({ where: { status: 'processing' }, data: { status: 'queued', workerId: null } }).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not resume unfinished uploads');
      });
    }
    while (!closed) {
      let id: string | null = null;
      try {
        id = await claimNext(ctx.prisma, workerId);
      } catch (error) {
        if (closed) return;
        ctx.log.warn({ err: error }, 'could not claim an upload');
      }
      if (id) {
        await runClaimed(ctx, id, workerId);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  };
  if (options.start) running = loop();

  return {
    kind: 'in-process',
    async enqueue() {
      wake?.();
    },
    async close() {
      closed = true;
      wake?.();
      await running;
    },
  };
}

/** Uploads whose job may have been lost (the API restarted before Redis had them): added again, idempotently. */
export async function requeueWaiting(prisma: PrismaClient, queue: UploadQueue): Promise<void> {
  const waiting = await prisma.upload.findMany({ where: { status: { in: ['queued', 'processing'] }, passwordNeeded: false, archiveKey: { not: null } }, select: { id: true } });
  for (const { id } of waiting) await queue.enqueue(id);
}
