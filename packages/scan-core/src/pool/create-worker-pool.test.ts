import { afterEach, describe, expect, it } from 'vitest';
import { compiledZxing } from '../barcode/zxing-reader.ts';
import { WorkerTaskError, createWorkerPool } from './create-worker-pool.ts';
import type { WorkerPool } from './create-worker-pool.ts';
import type { EchoTask } from './echo-test-worker.ts';

type Out = { sum: number; threadId: number; bytes?: Uint8Array; zxingHanded?: boolean };
const workerUrl = new URL('./echo-test-worker.ts', import.meta.url);
let pool: WorkerPool<EchoTask, Out> | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('createWorkerPool', () => {
  it('runs TypeScript workers (through tsx) and moves buffers both ways without copying', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 2 });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const result = await pool.run({ op: 'sum', bytes }, [bytes.buffer]);
    expect(result.sum).toBe(256);
    expect(bytes.byteLength).toBe(0); // transferred away
    expect(Array.from(result.bytes ?? [])).toEqual([1, 2, 3, 250]);
  });

  it('starts each worker with its workerData: zxing compiled once here is what the workers read with', async () => {
    let starts = 0;
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 2, workerData: () => ((starts += 1), { zxing: compiledZxing() }) });
    const results = await Promise.all([1, 2, 3, 4].map(() => pool?.run({ op: 'zxing' })));
    expect(results.map((result) => result?.zxingHanded)).toEqual([true, true, true, true]);
    expect(results.map((result) => result?.sum)).toEqual([0, 0, 0, 0]);
    expect(starts).toBe(2);
  });

  it('a worker started without a module compiles its own', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 1 });
    const result = await pool.run({ op: 'zxing' });
    expect(result).toMatchObject({ sum: 0, zxingHanded: false });
  });

  it('spreads work over every worker', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => pool?.run({ op: 'busy', ms: 150 })));
    const threads = new Set(results.map((result) => result?.threadId));
    expect(threads.size).toBe(2);
  });

  it('rejects a failed task with the worker error name, message and code, and keeps serving', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 1 });
    const failure = await pool.run({ op: 'fail', message: 'bad page' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkerTaskError);
    expect(failure).toMatchObject({ name: 'ScanError', message: 'bad page', code: 'unreadable_image' });
    const bytes = new Uint8Array([5]);
    expect((await pool.run({ op: 'sum', bytes })).sum).toBe(5);
  });

  it('replaces a worker that hangs past the timeout or dies, failing only its task', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 1, taskTimeoutMs: 1_000 });
    await expect(pool.run({ op: 'hang' })).rejects.toThrow(/exceeded/);
    await expect(pool.run({ op: 'crash' })).rejects.toThrow(/exited/);
    expect((await pool.run({ op: 'sum', bytes: new Uint8Array([7]) })).sum).toBe(7);
  }, 20_000);

  it('holds the producer back while the queue is full', async () => {
    pool = createWorkerPool<EchoTask, Out>({ workerUrl, size: 1, maxQueued: 1 });
    const running = pool.run({ op: 'busy', ms: 300 });
    const queued = pool.run({ op: 'busy', ms: 10 });
    let readyAt = 0;
    const started = Date.now();
    await pool.ready().then(() => {
      readyAt = Date.now() - started;
    });
    expect(readyAt).toBeGreaterThanOrEqual(200);
    await Promise.all([running, queued]);
  });
});
