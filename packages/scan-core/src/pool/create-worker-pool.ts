import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReadyMessage, ResultMessage, SerializedError, TaskMessage } from './worker-protocol.ts';
import { workerStart } from './worker-start.ts';

export interface WorkerPoolOptions {
  /** the worker module; a .ts file is run through tsx */
  workerUrl: URL;
  /** worker threads; default: every core */
  size?: number;
  /** tasks waiting beyond the running ones before ready() holds the producer back; default: size */
  maxQueued?: number;
  /** a task running longer is treated as hung: its worker is replaced and the task fails */
  taskTimeoutMs?: number;
  /** what each worker is started with (worker_threads' workerData), asked for at each start */
  workerData?: () => unknown;
}

export interface WorkerPool<TIn, TOut> {
  readonly size: number;
  /** resolves when the queue has room: await it before run() so memory stays bounded */
  ready(): Promise<void>;
  /** `timeoutMs` replaces the pool's task timeout for this task (a long batch, say) */
  run(input: TIn, transfer?: ArrayBuffer[], options?: { timeoutMs?: number }): Promise<TOut>;
  close(): Promise<void>;
}

/** A task that failed inside a worker, with the worker's error name, message and code. */
export class WorkerTaskError extends Error {
  readonly code: string | undefined;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.code = error.code;
  }
}

interface Task<TIn, TOut> {
  id: number;
  input: TIn;
  transfer: ArrayBuffer[];
  timeoutMs: number;
  resolve: (output: TOut) => void;
  reject: (error: Error) => void;
}

interface Slot<TIn, TOut> {
  worker: Worker;
  task: Task<TIn, TOut> | null;
  timer: NodeJS.Timeout | null;
  /** the worker has loaded its module and listens: start-up time does not count against a task */
  ready: boolean;
}

const DEFAULT_TASK_TIMEOUT_MS = 120_000;
/** Loading TypeScript sources and wasm in a fresh worker takes seconds on a busy machine; a minute means stuck. */
const MIN_STARTUP_TIMEOUT_MS = 60_000;

export function createWorkerPool<TIn, TOut>(options: WorkerPoolOptions): WorkerPool<TIn, TOut> {
  const size = Math.max(1, options.size ?? availableParallelism());
  const maxQueued = Math.max(0, options.maxQueued ?? size);
  const taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const start = workerStart(options.workerUrl);
  const queue: Task<TIn, TOut>[] = [];
  const slots: Slot<TIn, TOut>[] = [];
  const waitingForRoom: (() => void)[] = [];
  let nextId = 1;
  let closed = false;
  /** workers lost since the last task that succeeded: a worker module that cannot start must not respawn forever */
  let lostInARow = 0;

  const releaseWaiters = (): void => {
    while (queue.length < maxQueued + idleCount() && waitingForRoom.length > 0) waitingForRoom.shift()?.();
  };

  const releaseAll = (): void => {
    for (const resolve of waitingForRoom.splice(0)) resolve();
  };

  const idleCount = (): number => slots.filter((slot) => slot.task === null).length;

  const finish = (slot: Slot<TIn, TOut>): Task<TIn, TOut> | null => {
    const task = slot.task;
    slot.task = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return task;
  };

  const replace = (slot: Slot<TIn, TOut>, reason: Error): void => {
    // Already replaced (an error, then its exit, then a timer): one loss, one replacement.
    if (!slots.includes(slot)) return;
    const task = finish(slot);
    slot.worker.removeAllListeners();
    // A late error from a worker being torn down must not become an uncaught exception.
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    task?.reject(reason);
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    lostInARow++;
    if (lostInARow > size * 3 + 3) {
      // Every fresh worker dies: fail what is waiting instead of spinning.
      for (const waiting of queue.splice(0)) waiting.reject(reason);
      releaseAll();
      if (slots.length === 0 && !closed) slots.push(spawn());
      return;
    }
    if (!closed) {
      slots.push(spawn());
      dispatch();
    }
  };

  const spawn = (): Slot<TIn, TOut> => {
    const worker = new Worker(start.entry, { eval: start.eval, workerData: options.workerData?.() });
    // An idle worker must not keep a finished CLI alive.
    worker.unref();
    const slot: Slot<TIn, TOut> = { worker, task: null, timer: null, ready: false };
    // A worker that never finishes loading is as stuck as a hung task.
    const startupLimitMs = Math.max(taskTimeoutMs, MIN_STARTUP_TIMEOUT_MS);
    const startup = setTimeout(() => replace(slot, new Error(`page worker did not start within ${startupLimitMs} ms`)), startupLimitMs);
    startup.unref();
    worker.on('message', (message: ResultMessage<TOut> | ReadyMessage) => {
      if ('ready' in message) {
        clearTimeout(startup);
        slot.ready = true;
        if (slot.task) startTimer(slot);
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      finish(slot);
      worker.unref();
      lostInARow = 0;
      if (message.ok) task.resolve(message.output);
      else task.reject(new WorkerTaskError(message.error));
      dispatch();
    });
    worker.on('error', (error) => replace(slot, error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => {
      if (!closed) replace(slot, new Error(`page worker exited with code ${code}`));
    });
    return slot;
  };

  const startTimer = (slot: Slot<TIn, TOut>): void => {
    if (slot.timer) clearTimeout(slot.timer);
    const limitMs = slot.task?.timeoutMs ?? taskTimeoutMs;
    slot.timer = setTimeout(() => replace(slot, new Error(`page task exceeded ${limitMs} ms`)), limitMs);
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (slot.task !== null) continue;
      const task = queue.shift();
      if (!task) break;
      slot.task = task;
      // A busy worker keeps the process alive until its answer arrives.
      slot.worker.ref();
      if (slot.ready) startTimer(slot);
      const message: TaskMessage<TIn> = { id: task.id, input: task.input };
      slot.worker.postMessage(message, task.transfer);
    }
    releaseWaiters();
  };

  for (let index = 0; index < size; index++) slots.push(spawn());

  return {
    size,
    ready(): Promise<void> {
      if (queue.length < maxQueued + idleCount()) return Promise.resolve();
      return new Promise((resolve) => waitingForRoom.push(resolve));
    },
    run(input: TIn, transfer: ArrayBuffer[] = [], runOptions: { timeoutMs?: number } = {}): Promise<TOut> {
      if (closed) return Promise.reject(new Error('the worker pool is closed'));
      return new Promise<TOut>((resolve, reject) => {
        queue.push({ id: nextId++, input, transfer, timeoutMs: runOptions.timeoutMs ?? taskTimeoutMs, resolve, reject });
        dispatch();
      });
    },
    async close(): Promise<void> {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error('the worker pool is closed'));
      releaseAll();
      await Promise.all(
        slots.splice(0).map((slot) => {
          finish(slot)?.reject(new Error('the worker pool is closed'));
          slot.worker.removeAllListeners();
          return slot.worker.terminate();
        }),
      );
    },
  };
}
