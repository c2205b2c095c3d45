/** A worker for the pool's own tests: echoes, sums bytes, fails, hangs or crashes on request, or reads with the zxing it was started with. */
import { workerData } from 'node:worker_threads';
import { compiledZxing, readCodes, useCompiledZxing } from '../barcode/zxing-reader.ts';
import { serveWorkerTasks } from './serve-worker-tasks.ts';

export type EchoTask =
  | { op: 'sum'; bytes: Uint8Array }
  | { op: 'fail'; message: string }
  | { op: 'hang' }
  | { op: 'crash' }
  | { op: 'busy'; ms: number }
  | { op: 'zxing' };

serveWorkerTasks<EchoTask, { sum: number; threadId: number; bytes?: Uint8Array; zxingHanded?: boolean }>(async (task) => {
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
    case 'zxing': {
      // the module the thread was started with, if any, is the one read with (none found on a white image)
      const handed = (workerData as { zxing?: unknown } | null)?.zxing;
      useCompiledZxing(handed);
      const codes = await readCodes({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255) }, { tryHarder: true, tryRotate: false, tryDownscale: false, tryInvert: false, binarizer: 'LocalAverage', formats: ['code128'] });
      return { output: { sum: codes.length, threadId, zxingHanded: handed !== undefined && compiledZxing() === handed } };
    }
  }
  return { output: { sum: -1, threadId } };
});
