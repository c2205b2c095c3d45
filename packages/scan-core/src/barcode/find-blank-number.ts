import { clampRect, cropGrey } from '../image/crop-grey.ts';
import { downscaleGrey } from '../image/downscale-grey.ts';
import type { GreyImage } from '../image/grey-image.ts';
import type { Levels } from '../image/measure-levels.ts';
import type { Symbology, UnreadReason } from '../shared/types.ts';
import { locateCodeRegions } from './locate-code-regions.ts';
import type { CodeRegion } from './locate-code-regions.ts';
import { matchBlankNumber } from './match-blank-number.ts';
import { readCodes } from './zxing-reader.ts';
import type { FoundCode, ReadCodesOptions } from './zxing-reader.ts';

export const BLANK_SYMBOLOGIES: readonly Symbology[] = ['code128', 'qrcode', 'datamatrix', 'pdf417', 'aztec', 'itf'];

export interface PlacedCode extends FoundCode {
  /** corners in page pixel coordinates */
  page: FoundCode['corners'];
}

export interface BlankNumberResult {
  blankNumber: string | null;
  symbology: Symbology | null;
  reason: UnreadReason | null;
  readStep: string | null;
  /** the code that carried the number, in page coordinates */
  code: PlacedCode | null;
  /** every valid code seen (decoys included): their areas are print, not handwriting */
  codes: PlacedCode[];
  stepsTried: string[];
  /** time spent finding candidate regions (the rest of the ladder is zxing) */
  locateMs: number;
}

interface Attempt {
  name: string;
  run: () => Promise<PlacedCode[]>;
}

const HARD: ReadCodesOptions = {
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: false,
  binarizer: 'LocalAverage',
  formats: BLANK_SYMBOLOGIES,
};

function place(code: FoundCode, offsetX: number, offsetY: number, scale: number): PlacedCode {
  const map = ([x, y]: [number, number]): [number, number] => [offsetX + x * scale, offsetY + y * scale];
  const c = code.corners;
  return { ...code, page: { topLeft: map(c.topLeft), topRight: map(c.topRight), bottomRight: map(c.bottomRight), bottomLeft: map(c.bottomLeft) } };
}

function upscale2(image: GreyImage): GreyImage {
  const w = image.width * 2;
  const h = image.height * 2;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(image.height - 1, y >> 1);
    for (let x = 0; x < w; x++) out[y * w + x] = image.data[sy * image.width + Math.min(image.width - 1, x >> 1)] ?? 255;
  }
  return { width: w, height: h, data: out };
}

const LINEAR_FORMATS: readonly Symbology[] = ['code128', 'itf', 'pdf417'];
// PDF417 is in both: its stacked rows look like bars or like modules depending on module size
const MATRIX_FORMATS: readonly Symbology[] = ['qrcode', 'datamatrix', 'aztec', 'pdf417'];

/**
 * Reads candidate regions best first. The region's texture says bars or modules, and which way bars run: looking
 * only for those symbologies, and not trying rotations that cannot help, is several times faster. After a blank
 * number is found only up to three regions reasonably code-like for their kind are still read — enough to notice a
 * second, different number (the ambiguous case) without paying for every text block.
 */
async function readRegions(page: GreyImage, regions: CodeRegion[], options: ReadCodesOptions, scaleUp: boolean, byKind: boolean, pattern: RegExp): Promise<PlacedCode[]> {
  const found: PlacedCode[] = [];
  // bars and modules score on different scales: compare a region with the best of its own kind
  const best = { linear: 0, matrix: 0 };
  for (const region of regions) best[region.kind] = Math.max(best[region.kind], region.score);
  let matched = false;
  let checks = 0;
  for (const region of regions) {
    if (matched && (region.score < best[region.kind] * 0.35 || checks++ >= 3)) continue;
    const rect = clampRect(region, page.width, page.height);
    if (rect === null) continue;
    const crop = cropGrey(page, rect);
    const input = scaleUp ? upscale2(crop) : crop;
    const tuned: ReadCodesOptions = byKind
      ? region.kind === 'linear'
        ? { ...options, formats: LINEAR_FORMATS, tryRotate: !region.barsVertical }
        : { ...options, formats: MATRIX_FORMATS }
      : options;
    const codes = await readCodes(input, tuned);
    for (const code of codes) {
      const placed = place(code, rect.x, rect.y, scaleUp ? 0.5 : 1);
      found.push(placed);
      if (matchBlankNumber(placed, pattern) !== null) matched = true;
    }
  }
  return found;
}

/** Widens a candidate region so a code cut at the region edge, and its quiet zone, are inside. */
function widen(region: CodeRegion): CodeRegion {
  const grow = Math.max(region.width, region.height) * 0.2 + 24;
  return { ...region, x: region.x - grow, y: region.y - grow, width: region.width + 2 * grow, height: region.height + 2 * grow };
}

/**
 * Finds the blank number with a ladder: cheap attempts first, harder ones only when those fail, within a time
 * budget. A number is accepted only from a code zxing decoded with its checksum / error correction; two different
 * matching numbers on one page give no number ('ambiguous'), never a guess.
 */
export async function findBlankNumber(page: GreyImage, levels: Levels, pattern: RegExp, budgetMs: number): Promise<BlankNumberResult> {
  const started = performance.now();
  const regions = locateCodeRegions(page, levels).map(widen);
  const locateMs = performance.now() - started;
  const attempts: Attempt[] = [
    { name: 'fast-regions', run: () => readRegions(page, regions, HARD, false, true, pattern) },
    {
      name: 'half-page',
      run: async () => {
        const half = downscaleGrey(page, 2);
        return (await readCodes(half, HARD)).map((c) => place(c, 0, 0, 2));
      },
    },
    { name: 'regions-upscaled', run: () => readRegions(page, regions, { ...HARD, binarizer: 'GlobalHistogram' }, true, false, pattern) },
    { name: 'full-page', run: async () => (await readCodes(page, { ...HARD, tryDownscale: true, tryInvert: true })).map((c) => place(c, 0, 0, 1)) },
    { name: 'full-page-global-binarizer', run: async () => (await readCodes(page, { ...HARD, binarizer: 'GlobalHistogram', tryDownscale: true })).map((c) => place(c, 0, 0, 1)) },
  ];
  const codes: PlacedCode[] = [];
  const stepsTried: string[] = [];
  for (const attempt of attempts) {
    if (stepsTried.length > 0 && performance.now() - started > budgetMs) break;
    stepsTried.push(attempt.name);
    const found = await attempt.run();
    codes.push(...found);
    const numbers = new Map<string, PlacedCode>();
    for (const code of codes) {
      const number = matchBlankNumber(code, pattern);
      if (number !== null && !numbers.has(number)) numbers.set(number, code);
    }
    if (numbers.size > 1) {
      return { blankNumber: null, symbology: null, reason: 'ambiguous', readStep: attempt.name, code: null, codes, stepsTried, locateMs };
    }
    const only = [...numbers.entries()][0];
    if (only !== undefined) {
      const [number, code] = only;
      const symbology = code.symbology === 'other' ? null : code.symbology;
      return { blankNumber: number, symbology, reason: null, readStep: attempt.name, code, codes, stepsTried, locateMs };
    }
  }
  return { blankNumber: null, symbology: null, reason: 'no_barcode', readStep: null, code: null, codes, stepsTried, locateMs };
}
