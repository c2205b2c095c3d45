import { makeThumbnail, turnJpeg } from '@collector/scan-core';
import type { FileStorage } from '../../plugins/app/storage.ts';
import { BLANK_NUMBER_PATTERN } from './blank-number-rule.ts';
import type { PageReader } from './page-reader.ts';

export interface TurnableScan {
  id: string;
  uploadId: string;
  entryIndex: number;
  pageIndex: number;
  storageKey: string;
  originalKey: string | null;
  thumbnailKey: string | null;
  rotation: number;
}

export interface TurnedRendition {
  storageKey: string;
  thumbnailKey: string;
  /** a number the barcode gave on the turned page, or null */
  readNumber: string | null;
}

const quarterTurns = (degrees: number) => (((degrees / 90) % 4) + 4) % 4;

/**
 * Renders the page again from the bytes the person sent, turned by `rotation` (clockwise, as scans store it), and
 * reads it again. The new rendition and thumbnail go to new keys (named by `version`), so the old ones stay valid
 * until the database says the turn was saved; the caller removes whichever set lost.
 */
export async function turnScan(deps: { storage: FileStorage; reader: PageReader }, scan: TurnableScan, rotation: number, version: number): Promise<TurnedRendition> {
  const original = scan.originalKey ? await deps.storage.readBytes(scan.originalKey) : null;
  let upright: Uint8Array | null = null;
  let thumbnail: Uint8Array | null = null;
  if (original) {
    const pages = await deps.reader.analyse(original, { wantUpright: true });
    const page = pages[scan.pageIndex - 1];
    const turns = quarterTurns(rotation - (page?.rotation ?? 0));
    // the way the analysis set it upright: its rendition and thumbnail are kept as made (no second JPEG generation)
    if (page?.uprightJpeg && turns === 0) {
      upright = page.uprightJpeg;
      thumbnail = page.uprightThumbnail ?? null;
    } else if (page?.uprightJpeg) upright = await turnJpeg(page.uprightJpeg, turns);
  }
  if (!upright) {
    // no original kept (or it no longer decodes): turn the stored rendition by the difference
    const stored = await deps.storage.readBytes(scan.storageKey);
    if (!stored) throw new Error(`scan ${scan.id} has no stored image`);
    upright = await turnJpeg(stored, quarterTurns(rotation - scan.rotation));
  }
  const prefix = `uploads/${scan.uploadId}/`;
  const storageKey = `${prefix}pages/${scan.entryIndex}-${scan.pageIndex}-v${version}.jpg`;
  const thumbnailKey = `${prefix}thumbs/${scan.entryIndex}-${scan.pageIndex}-v${version}.jpg`;
  await deps.storage.write(storageKey, upright);
  await deps.storage.write(thumbnailKey, thumbnail ?? (await makeThumbnail(upright)));
  // recognition again, on the page as it now lies
  const again = (await deps.reader.analyse(upright, { wantUpright: false }))[0];
  const readNumber = again?.blankNumber && BLANK_NUMBER_PATTERN.test(again.blankNumber) ? again.blankNumber : null;
  return { storageKey, thumbnailKey, readNumber };
}
