/** A worker for the pool's own tests: echoes, sums bytes, fails, hangs or crashes on request. */
import { serveWorkerTasks } from './serve-worker-tasks.ts';

export type EchoTask =
  | { op: 'sum'; bytes: Uint8Array }
  | { op: 'fail'; message: string }
  | { op: 'hang' }
  | { op: 'crash' }
  | { op: 'busy'; ms: number };

serveWorkerTasks<EchoTask, { sum: number; threadId: number; bytes?: Uint8Array }>(async (task) => {
  const { threadId } = await import('node:worker_threads');
  switch (task.op) {
    case 'sum':
      return { output: { sum: task.bytes.reduce((total, value) => total + value, 0), threadId, bytes: task.bytes }, transfer: [task.bytes.buffer as ArrayBuffer] };
    case 'fail':
      throw Object.assign(new Error(task.message), { name: 'ScanError', code: 'unreadable_image' });
    case 'hang':
      return new Promise(() => undefined);
    case 'crash':
      process.exit(3);
      break;
    case 'busy': {
      const end = Date.now() + task.ms;
      while (Date.now() < end) {
        // burn CPU: the point is to occupy a core
      }
      return { output: { sum: 0, threadId } };
    }
  }
  return { output: { sum: -1, threadId } };
});
