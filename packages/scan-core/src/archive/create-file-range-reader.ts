import type { FileHandle } from 'node:fs/promises';
import { Reader } from '@zip.js/zip.js';

/** A zip.js reader over an open file: zip.js asks for byte ranges, so an archive is never loaded whole. */
class FileRangeReader extends Reader<FileHandle> {
  readonly #handle: FileHandle;

  constructor(handle: FileHandle, size: number) {
    super(handle);
    this.#handle = handle;
    this.size = size;
  }

  override async readUint8Array(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = new Uint8Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.#handle.read(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }
}

export type RangeReader = Reader<FileHandle>;

export function createFileRangeReader(handle: FileHandle, size: number): RangeReader {
  return new FileRangeReader(handle, size);
}
