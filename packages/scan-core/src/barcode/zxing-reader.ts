/**
 * The one module that imports zxing-wasm. It is given the package's own wasm bytes, because by default the
 * library fetches them from a CDN and this product runs offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader';
import type { GreyImage } from '../image/grey-image.ts';
import type { Symbology } from '../shared/types.ts';

export interface FoundCode {
  text: string;
  symbology: Symbology | 'other';
  /** corner points in the coordinates of the image that was read */
  corners: { topLeft: [number, number]; topRight: [number, number]; bottomRight: [number, number]; bottomLeft: [number, number] };
  /** rotation of the symbol in the read image, degrees clockwise, as zxing reports it */
  rotation: number;
  lineCount: number;
}

export interface ReadCodesOptions {
  /** spend more effort: zxing's tryHarder; without it Code 128 and DataMatrix are often missed */
  tryHarder: boolean;
  tryRotate: boolean;
  tryDownscale: boolean;
  tryInvert: boolean;
  binarizer: 'LocalAverage' | 'GlobalHistogram';
  /** only these symbologies; fewer formats is faster */
  formats: readonly Symbology[];
}

/** zxing's name for each symbology we read (the fixture generator writes with the same names). */
export const FORMAT_NAMES = {
  code128: 'Code128',
  qrcode: 'QRCode',
  datamatrix: 'DataMatrix',
  pdf417: 'PDF417',
  aztec: 'Aztec',
  itf: 'ITF',
} as const;

let ready: Promise<unknown> | undefined;

function prepare(): Promise<unknown> {
  if (ready === undefined) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const bytes = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
      const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
    })();
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

function symbologyOf(format: string): Symbology | 'other' {
  switch (format) {
    case 'Code128':
      return 'code128';
    case 'QRCode':
      return 'qrcode';
    case 'DataMatrix':
      return 'datamatrix';
    case 'PDF417':
      return 'pdf417';
    case 'Aztec':
    case 'AztecCode':
      return 'aztec';
    case 'ITF':
    case 'ITF14':
      return 'itf';
    default:
      return 'other';
  }
}

function toFound(result: ReadResult): FoundCode {
  const p = result.position;
  return {
    text: result.text,
    symbology: symbologyOf(result.format),
    corners: {
      topLeft: [p.topLeft.x, p.topLeft.y],
      topRight: [p.topRight.x, p.topRight.y],
      bottomRight: [p.bottomRight.x, p.bottomRight.y],
      bottomLeft: [p.bottomLeft.x, p.bottomLeft.y],
    },
    rotation: result.rotation,
    lineCount: result.lineCount,
  };
}

function toImageData(data: Uint8ClampedArray, width: number, height: number): Parameters<typeof readBarcodes>[0] {
  // zxing-wasm recognises image data by shape ({data, width, height}); Node has no DOM ImageData class
  return { data, width, height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0];
}

/**
 * The naive way, for the benchmark's baseline only: the whole page as RGBA, zxing's default options (every format,
 * every effort). Returns the texts of valid codes.
 */
export async function readCodesNaively(rgba: Uint8Array, width: number, height: number): Promise<string[]> {
  await prepare();
  const data = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const results = await readBarcodes(toImageData(data, width, height));
  return results.filter((r) => r.isValid).map((r) => r.text);
}

const PGM_HEADER = new TextEncoder();

/**
 * The grey image as a binary PGM file. zxing-wasm decodes image files inside the wasm (stb_image reads PGM as
 * one grey channel), so the page crosses into wasm as 1 byte per pixel: its raw-pixel input would want RGBA,
 * four times the memory, and converts that back to grey in JavaScript.
 */
function toPgm(image: GreyImage): Uint8Array {
  const header = PGM_HEADER.encode(`P5\n${image.width} ${image.height}\n255\n`);
  const pgm = new Uint8Array(header.length + image.width * image.height);
  pgm.set(header, 0);
  pgm.set(image.data.subarray(0, image.width * image.height), header.length);
  return pgm;
}

/**
 * Reads every valid code in a grey image. Only results zxing marks valid — checksum and error correction
 * passed — are returned: a misread is far worse than no read.
 */
export async function readCodes(image: GreyImage, options: ReadCodesOptions): Promise<FoundCode[]> {
  await prepare();
  const readerOptions: ReaderOptions = {
    formats: options.formats.map((f) => FORMAT_NAMES[f]),
    tryHarder: options.tryHarder,
    tryRotate: options.tryRotate,
    tryInvert: options.tryInvert,
    tryDownscale: options.tryDownscale,
    binarizer: options.binarizer,
    returnErrors: false,
    // ITF carries no mandatory checksum: more agreeing scan lines before a result counts
    minLineCount: options.formats.includes('itf') ? 3 : 2,
    maxNumberOfSymbols: 8,
  };
  const results = await readBarcodes(toPgm(image), readerOptions);
  return results.filter((r) => r.isValid && r.error === '').map(toFound);
}
