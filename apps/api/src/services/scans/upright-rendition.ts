import type { Rotation } from '@collector/scan-core';
import type { FileStorage } from '../../plugins/app/storage.ts';
import type { PageReader } from './page-reader.ts';

export interface RenditionScan {
  storageKey: string;
  originalKey: string | null;
  pageIndex: number;
  rotation: number;
  skew: number;
}

export interface UprightRenditions {
  /**
   * The page upright as stored under its storageKey. Processing stores only the thumbnail: the first time a page is
   * viewed its rendition is made from the original bytes with the scan's way up and skew, and kept. Null when neither
   * the rendition nor the original exists.
   */
  read(scan: RenditionScan): Promise<Buffer | null>;
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

  async function make(scan: RenditionScan): Promise<Buffer | null> {
    if (!scan.originalKey || !scan.storageKey.endsWith('.jpg') || !ROTATIONS.includes(scan.rotation)) return null;
    if ((await storage.stat(scan.originalKey)) === null) return null;
    // the reader's thread reads the original itself: a person clicking through the pages of a large multi-page TIFF
    // queues names of files, not copies of them
    const jpeg = await reader.renderUpright(storage.localPath(scan.originalKey), scan.pageIndex, scan.rotation as Rotation, scan.skew);
    await storage.write(scan.storageKey, jpeg);
    return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  }

  return {
    async read(scan) {
      const stored = await storage.readBytes(scan.storageKey);
      if (stored) return stored;
      const pending = making.get(scan.storageKey);
      if (pending) return pending;
      const started = make(scan).finally(() => making.delete(scan.storageKey));
      making.set(scan.storageKey, started);
      return started;
    },
  };
}
