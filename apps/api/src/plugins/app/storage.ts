import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Stored page images, addressed by keys the server makes (never by a name from an archive). */
export interface FileStorage {
  write(key: string, bytes: Uint8Array): Promise<void>;
  read(key: string): Promise<Readable | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    storage: FileStorage;
  }
}

const KEY = /^[a-z0-9][a-z0-9/_-]*\.[a-z0-9]+$/;

export function createDiskStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`bad storage key ${key}`);
    return path.join(root, key);
  };
  return {
    async write(key, bytes) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      // write then rename: a reader never sees half a file
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    },
    async read(key) {
      const file = resolve(key);
      try {
        await stat(file);
      } catch {
        return null;
      }
      return createReadStream(file);
    },
  };
}

export default fp(
  async (app: FastifyInstance, opts: { root: string }) => {
    app.decorate('storage', createDiskStorage(opts.root));
  },
  { name: 'storage' },
);
