import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ScanError } from '../errors.ts';
import { MAX_ARCHIVE_BYTES } from '../options.ts';

export interface SpooledUpload {
  /** a private temporary file: never named after anything inside the upload */
  path: string;
  bytes: number;
  remove(): Promise<void>;
}

export interface SpoolUploadOptions {
  maxBytes?: number;
  dir?: string;
}

/**
 * Copies an incoming archive stream to a temporary file, because a ZIP is read from its end (the central
 * directory) and needs random access. Stops, deletes the partial file and throws archive_too_large the moment
 * the limit is passed, instead of after receiving everything.
 */
export async function spoolUpload(stream: Readable | AsyncIterable<Uint8Array>, options: SpoolUploadOptions = {}): Promise<SpooledUpload> {
  const maxBytes = options.maxBytes ?? MAX_ARCHIVE_BYTES;
  const path = join(options.dir ?? tmpdir(), `scan-upload-${randomUUID()}.part`);
  let bytes = 0;
  const remove = (): Promise<void> => rm(path, { force: true });
  try {
    await pipeline(
      stream,
      async function* limit(source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw new ScanError('archive_too_large', `more than ${maxBytes} bytes`);
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, bytes, remove };
}
