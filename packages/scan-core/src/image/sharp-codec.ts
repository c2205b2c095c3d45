/**
 * The one module that imports sharp: decoding scans to greyscale and encoding the upright page and its thumbnail.
 * Kept together so libvips settings (cache, pixel cap) live in one place.
 */
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { ScanError } from '../errors.ts';
import { MAX_PAGE_PIXELS } from '../options.ts';
import type { GreyImage } from './grey-image.ts';
import { rotatePage } from './rotate-grey.ts';

// Pages are decoded once and never revisited; libvips' operation cache would only hold memory.
sharp.cache(false);

/** libvips' threads per operation as sharp chose them for this process (its count is per process). */
const DEFAULT_LIBVIPS_THREADS = sharp.concurrency();
let analysisThreads = 0;

/**
 * Page-analysis worker threads of this process, started (`delta` > 0) or stopped (< 0). They already run a page per
 * core: libvips' own threads on top of that only contend for the same cores, so the cores are shared out among the
 * workers, at least one thread each, and sharp's choice comes back when the last one stops.
 */
export function countAnalysisThreads(delta: number): void {
  analysisThreads = Math.max(0, analysisThreads + delta);
  sharp.concurrency(analysisThreads === 0 ? DEFAULT_LIBVIPS_THREADS : Math.max(1, Math.floor(DEFAULT_LIBVIPS_THREADS / analysisThreads)));
}

export interface ImageInfo {
  format: 'jpeg' | 'tiff';
  pages: number;
  /** dots per inch, when the file says */
  dpi: number | null;
}

export interface DecodedPage extends GreyImage {
  dpi: number | null;
}

function unreadable(error: unknown): ScanError {
  const message = error instanceof Error ? error.message : String(error);
  return new ScanError('unreadable_image', `image does not decode: ${message}`, { cause: error });
}

function densityToDpi(density: number | undefined, resolutionUnit: string | undefined): number | null {
  if (density === undefined || !Number.isFinite(density) || density <= 1) return null;
  // sharp reports pixels per inch; a 'cm' unit has already been converted, so no correction is needed.
  void resolutionUnit;
  return Math.round(density);
}

export async function probeImage(bytes: Uint8Array): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_PAGE_PIXELS, failOn: 'error' }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  if (meta.format !== 'jpeg' && meta.format !== 'tiff') {
    throw new ScanError('unreadable_image', `not a JPEG or TIFF page: ${String(meta.format)}`);
  }
  const pages = meta.format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  return { format: meta.format, pages, dpi: densityToDpi(meta.density, meta.resolutionUnit) };
}

/** Decodes one page (0-based) straight to 8-bit grey: colour never reaches our code, which keeps it fast. */
export async function decodeGreyPage(bytes: Uint8Array, pageIndex: number, dpi: number | null): Promise<DecodedPage> {
  try {
    const { data, info } = await sharp(bytes, {
      page: pageIndex,
      limitInputPixels: MAX_PAGE_PIXELS,
      // A truncated JPEG still yields a picture; only refuse what libvips cannot decode at all.
      failOn: 'error',
    })
      .greyscale()
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1 || data.length !== info.width * info.height) {
      throw new Error(`unexpected raw layout: ${info.channels} channels`);
    }
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length), dpi };
  } catch (error) {
    throw unreadable(error);
  }
}

/** The small picture of a page in lists: this wide (never enlarged), JPEG at this quality. */
export const THUMBNAIL_WIDTH = 240;
const THUMBNAIL_QUALITY = 70;
/** Below this skew (degrees) the stored page is only turned by quarter turns, not resampled. */
const DESKEW_MIN_DEGREES = 0.05;

export interface UprightRendition {
  /** the upright, deskewed page: greyscale JPEG with the scan's density */
  jpeg: Uint8Array;
  /** the same page THUMBNAIL_WIDTH pixels wide */
  thumbnail: Uint8Array;
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** The image turned by quarter turns and deskewed by `degrees` (clockwise), or the image itself when neither applies. */
function uprightPixels(image: GreyImage, quarterTurns: number, degrees: number): GreyImage {
  const q = ((quarterTurns % 4) + 4) % 4;
  const skew = Math.abs(degrees) >= DESKEW_MIN_DEGREES ? degrees : 0;
  return skew === 0 && q === 0 ? image : rotatePage(image, q, skew);
}

const rawPixels = (image: GreyImage): Sharp => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });

function encodePage(upright: GreyImage, dpi: number | null, quality: number): Promise<Buffer> {
  // withDensity, not withMetadata: the latter also attaches an sRGB profile, which turns the grey JPEG into colour
  const page = rawPixels(upright).toColourspace('b-w').jpeg({ quality, optimiseCoding: false });
  return (dpi === null ? page : page.withDensity(dpi)).toBuffer();
}

function encodeThumbnailPixels(upright: GreyImage): Promise<Buffer> {
  return rawPixels(upright).resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true }).toColourspace('b-w').jpeg({ quality: THUMBNAIL_QUALITY }).toBuffer();
}

/**
 * The upright page for storage and its thumbnail, from the decoded grey page: turned by quarter turns and deskewed by
 * `degrees` (clockwise) at the turned page's size, by rotatePage (libvips' general affine transform takes about
 * three times as long for a small angle, and the two encoders would each turn the page again). The JPEG is written
 * in one pass, without optimised Huffman tables: a tenth larger, half the time.
 */
export async function encodeUpright(image: GreyImage, quarterTurns: number, degrees: number, dpi: number | null, quality = 85): Promise<UprightRendition> {
  const source = uprightPixels(image, quarterTurns, degrees);
  // two pipelines on the same pixels (sharp's clone() of a raw input costs as much again as the thumbnail)
  const [jpeg, small] = await Promise.all([encodePage(source, dpi, quality), encodeThumbnailPixels(source)]);
  return { jpeg: toBytes(jpeg), thumbnail: toBytes(small) };
}

/** Only the upright page as JPEG (a page viewed for the first time, its thumbnail made long before). */
export async function encodeUprightJpeg(image: GreyImage, quarterTurns: number, degrees: number, dpi: number | null, quality = 85): Promise<Uint8Array> {
  return toBytes(await encodePage(uprightPixels(image, quarterTurns, degrees), dpi, quality));
}

/**
 * The upright thumbnail from a reduced view of the page (reducePage's 4×4 block means, already wider than a
 * thumbnail): turning and encoding a sixteenth of the pixels costs a few milliseconds instead of the full rendition's
 * thirty or more.
 */
export async function encodeUprightThumbnail(reduced: GreyImage, quarterTurns: number, degrees: number): Promise<Uint8Array> {
  return toBytes(await encodeThumbnailPixels(uprightPixels(reduced, quarterTurns, degrees)));
}

/** The thumbnail of a stored upright JPEG (after it was turned again): as encodeUpright makes it. */
export async function makeThumbnail(uprightJpeg: Uint8Array): Promise<Uint8Array> {
  try {
    const buffer = await sharp(uprightJpeg, { limitInputPixels: MAX_PAGE_PIXELS })
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .toColourspace('b-w')
      .jpeg({ quality: THUMBNAIL_QUALITY })
      .toBuffer();
    return toBytes(buffer);
  } catch (error) {
    throw unreadable(error);
  }
}

/** For the benchmark's naive baseline: the page as 8-bit RGBA, the input zxing's public API takes. */
export async function decodeRgbaPage(bytes: Uint8Array, pageIndex: number): Promise<{ width: number; height: number; data: Uint8Array }> {
  try {
    const { data, info } = await sharp(bytes, { page: pageIndex, limitInputPixels: MAX_PAGE_PIXELS })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw unreadable(error);
  }
}

/** Turns a stored JPEG by quarter turns clockwise (e.g. 2 after finaliseFill corrected a page's way up). */
export async function turnJpeg(bytes: Uint8Array, quarterTurns: number, quality = 85): Promise<Uint8Array> {
  const q = ((quarterTurns % 4) + 4) % 4;
  try {
    const buffer = await sharp(bytes, { limitInputPixels: MAX_PAGE_PIXELS }).rotate(q * 90).toColourspace('b-w').jpeg({ quality }).toBuffer();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  } catch (error) {
    throw unreadable(error);
  }
}
