import { parentPort } from 'node:worker_threads';
import { collectYoungGarbage } from './collect-garbage.ts';
import type { ReadyMessage, ResultMessage, SerializedError, TaskMessage, TaskOutput } from './worker-protocol.ts';

function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** The worker side of the pool: runs one task at a time, as the pool sends them, and answers each. */
export function serveWorkerTasks<TIn, TOut>(handler: (input: TIn) => Promise<TaskOutput<TOut>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run inside a worker thread');
  port.on('message', (message: TaskMessage<TIn>) => {
    handler(message.input).then(
      ({ output, transfer }) => {
        const reply: ResultMessage<TOut> = { id: message.id, ok: true, output };
        port.postMessage(reply, transfer ?? []);
        // the task's buffers are dead now: free them before the next page allocates its own
        collectYoungGarbage();
      },
      (error: unknown) => {
        const reply: ResultMessage<TOut> = { id: message.id, ok: false, error: serializeError(error) };
        port.postMessage(reply);
        collectYoungGarbage();
      },
    );
  });
  const ready: ReadyMessage = { ready: true };
  port.postMessage(ready);
}
