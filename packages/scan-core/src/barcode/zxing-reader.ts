/**
 * The one module that imports zxing-wasm. It is given the package's own wasm, compiled here, because by default the
 * library fetches it from a CDN and this product runs offline.
 */
import { readFileSync } from 'node:fs';
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

/**
 * The little of the WebAssembly API used here. Node has it; its TypeScript declarations come only with the DOM
 * library, which this package does not load.
 */
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  instantiate(module: WasmModule, imports: unknown): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let ready: Promise<unknown> | undefined;
let compiled: WasmModule | undefined;

/**
 * zxing's wasm, compiled once per process. Page worker threads are handed this module (useCompiledZxing) instead of
 * compiling their own copy: a module's machine code is shared by every thread that instantiates it, so V8 optimises
 * each hot function once for all of them. A copy per thread cost each worker about 30 MB of compiler memory (which
 * glibc then kept) and the CPU to optimise the same functions again.
 */
export function compiledZxing(): WasmModule {
  if (compiled === undefined) {
    const require = createRequire(import.meta.url);
    compiled = new wasm.Module(readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')));
  }
  return compiled;
}

/**
 * Reads with this compiled module (another thread's compiledZxing, as the thread was started with it) from now on;
 * anything else is ignored and the module is compiled here. Call before the first read.
 */
export function useCompiledZxing(module: unknown): void {
  if (ready === undefined && module instanceof wasm.Module) compiled = module;
}

function prepare(): Promise<unknown> {
  if (ready === undefined) {
    const module = compiledZxing();
    // emscripten's hook for a module compiled elsewhere gives it no way to fail: a failed instantiation rejects here
    let fail: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const prepared = prepareZXingModule({
      overrides: {
        instantiateWasm: (imports: unknown, receive: (instance: object, module: WasmModule) => void) => {
          wasm.instantiate(module, imports).then((instance) => receive(instance, module)).catch(fail);
          return {};
        },
      },
      fireImmediately: true,
    });
    ready = Promise.race([prepared, failed]);
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
