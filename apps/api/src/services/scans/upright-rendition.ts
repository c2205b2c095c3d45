import type { RenditionSize, Rotation } from '@collector/scan-core';
import type { FileStorage } from '../../plugins/app/storage.ts';
import type { PageReader } from './page-reader.ts';

export interface RenditionScan {
  storageKey: string;
  thumbnailKey: string | null;
  originalKey: string | null;
  pageIndex: number;
  rotation: number;
  skew: number;
}

export interface UprightRenditions {
  /**
   * The page upright as stored under its storageKey (or its thumbnail, under thumbnailKey). Processing stores the
   * full rendition only of pages whose code was not read: the first time another page is viewed its rendition is made
   * from the original bytes with the scan's way up and skew, and kept. Null when neither it nor the original exists.
   */
  read(scan: RenditionScan, size?: RenditionSize): Promise<Buffer | null>;
}

const ROTATIONS: readonly number[] = [0, 90, 180, 270];

/**
 * A key names one way up: processing and the batch give a page a new storageKey whenever they turn it, so a rendition
 * being made while the page is turned lands under the old key, which nothing reads any more (the file stays until its
 * upload's files are removed).
 */
export function createUprightRenditions(storage: FileStorage, reader: PageReader): UprightRenditions {
  /** renditions being made, by key: two people opening the same page wait for one */
  const making = new Map<string, Promise<Buffer | null>>();

  async function make(scan: RenditionScan, key: string, size: RenditionSize): Promise<Buffer | null> {
    if (!scan.originalKey || !key.endsWith('.jpg') || !ROTATIONS.includes(scan.rotation)) return null;
    if ((await storage.stat(scan.originalKey)) === null) return null;
    // the reader's thread reads the original itself: a person clicking through the pages of a large multi-page TIFF
    // queues names of files, not copies of them
    const jpeg = await reader.renderUpright(storage.localPath(scan.originalKey), scan.pageIndex, scan.rotation as Rotation, scan.skew, size);
    await storage.write(key, jpeg);
    return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  }

  return {
    async read(scan, size = 'full') {
      const key = size === 'thumbnail' ? scan.thumbnailKey : scan.storageKey;
      if (key === null) return null;
      const stored = await storage.readBytes(key);
      if (stored) return stored;
      const pending = making.get(key);
      if (pending) return pending;
      const started = make(scan, key, size).finally(() => making.delete(key));
      making.set(key, started);
      return started;
    },
  };
}
