import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Stored files — archives until their job is done, each page's original bytes, the upright rendition and its
 * thumbnail — addressed by keys the server makes (never by a name from an archive). A local folder in DATA_DIR by
 * default; a worker on another machine shares it (a network mount).
 */
export interface FileStorage {
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** streams into the key; on a stream error nothing is left behind */
  writeStream(key: string, source: Readable): Promise<void>;
  /** moves a local file in (a finished resumable upload) */
  moveIn(key: string, fromPath: string): Promise<void>;
  read(key: string): Promise<Readable | null>;
  readBytes(key: string): Promise<Buffer | null>;
  /** size and modification time, or null */
  stat(key: string): Promise<{ size: number; mtimeMs: number } | null>;
  /** a path the scanner can open (scan-core reads archives from files) */
  localPath(key: string): string;
  remove(key: string): Promise<void>;
  /** removes every key under a prefix ending in '/' */
  removePrefix(prefix: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    storage: FileStorage;
  }
}

const KEY = /^[a-z0-9][a-z0-9/_.-]*\.[a-z0-9]+$/;
const PREFIX = /^[a-z0-9][a-z0-9/_-]*\/$/;

export function createDiskStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`bad storage key ${key}`);
    return path.join(root, key);
  };
  const temporary = (file: string) => `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  return {
    async write(key, bytes) {
      const file = resolve(key);
      // write then rename: a reader never sees half a file
      const tmp = temporary(file);
      try {
        try {
          await writeFile(tmp, bytes);
        } catch (error) {
          // the folder is made when the first file goes in (every page's write would otherwise ask for it again)
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(tmp, bytes);
        }
        await rename(tmp, file);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },
    async writeStream(key, source) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = temporary(file);
      try {
        await pipeline(source, createWriteStream(tmp));
        await rename(tmp, file);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },
    async moveIn(key, fromPath) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      try {
        await rename(fromPath, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        const tmp = temporary(file);
        await copyFile(fromPath, tmp);
        await rename(tmp, file);
        await unlink(fromPath);
      }
    },
    async read(key) {
      // opened before it is streamed: a file removed right after stays readable, and a missing one is null, not a
      // stream that fails once the answer has begun
      const handle = await open(resolve(key), 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return handle === null ? null : handle.createReadStream();
    },
    async readBytes(key) {
      try {
        return await readFile(resolve(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async stat(key) {
      try {
        const s = await stat(resolve(key));
        return { size: s.size, mtimeMs: s.mtimeMs };
      } catch {
        return null;
      }
    },
    localPath: resolve,
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
    async removePrefix(prefix) {
      if (!PREFIX.test(prefix) || prefix.includes('..')) throw new Error(`bad storage prefix ${prefix}`);
      await rm(path.join(root, prefix), { recursive: true, force: true });
    },
  };
}

export default fp(
  async (app: FastifyInstance, opts: { root: string }) => {
    app.decorate('storage', createDiskStorage(opts.root));
  },
  { name: 'storage' },
);
