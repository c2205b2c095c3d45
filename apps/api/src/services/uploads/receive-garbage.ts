import type { Socket } from 'node:net';
import { collectYoungGarbage } from '@collector/scan-core';

/**
 * An archive's body arrives in 64 kB socket buffers that V8 counts as external memory of objects it sees as tiny:
 * with the server's small young generation it collects them only after hundreds of MB of them, so a fast upload
 * (250 MB over a local link in two seconds) kept about 30 MB of dead buffers at once, and glibc kept their pages after.
 * While a body is being received, a young-generation collection (under a millisecond) follows each
 * RECEIVED_PER_COLLECTION of it. Over a slow regional link that is a collection every few seconds.
 */
const RECEIVED_PER_COLLECTION = 2 * 1024 * 1024;
const CHECK_EVERY_MS = 20;

const receiving = new Map<Socket, number>();
let sinceCollection = 0;
let timer: NodeJS.Timeout | null = null;

function check(): void {
  for (const [socket, seen] of receiving) {
    // a stand-in socket (tests inject requests without one) counts nothing
    const read = Number.isFinite(socket.bytesRead) ? socket.bytesRead : seen;
    sinceCollection += Math.max(0, read - seen);
    receiving.set(socket, read);
  }
  if (sinceCollection >= RECEIVED_PER_COLLECTION) {
    sinceCollection = 0;
    collectYoungGarbage();
  }
}

/** Runs `work` (which reads a request body from `socket`) with the receive-time collections above. */
export async function whileReceiving<T>(socket: Socket, work: () => Promise<T>): Promise<T> {
  const nested = receiving.has(socket);
  if (!nested) receiving.set(socket, Number.isFinite(socket.bytesRead) ? socket.bytesRead : 0);
  timer ??= setInterval(check, CHECK_EVERY_MS).unref();
  try {
    return await work();
  } finally {
    if (!nested) {
      check();
      receiving.delete(socket);
    }
    if (receiving.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }
}
