import { findBlankNumber } from '../barcode/find-blank-number.ts';
import type { PlacedCode } from '../barcode/find-blank-number.ts';
import { computeHashGrid, computeInkSignature, maskCells, turnInkSignature } from '../fill/compute-ink-signature.ts';
import type { PageBox } from '../fill/compute-ink-signature.ts';
import { judgeAgainstTemplate } from '../fill/finalise-fill.ts';
import { measureAllInk } from '../fill/measure-handwriting.ts';
import { downscaleGrey } from '../image/downscale-grey.ts';
import { REDUCTION, reducePage } from '../image/reduce-page.ts';
import type { GreyImage } from '../image/grey-image.ts';
import { measureLevels } from '../image/measure-levels.ts';
import { decodeGreyPage, encodeUpright, encodeUprightJpeg, encodeUprightThumbnail, probeImage } from '../image/sharp-codec.ts';
import { DEFAULT_BLANK_PATTERN, EXPECTED_DPI } from '../options.ts';
import { detectOrientation } from '../orientation/detect-orientation.ts';
import { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT } from '../shared/diagnostics.ts';
import { hashImage } from '../image/hash-image.ts';
import { ScanError } from '../errors.ts';
import type { AnalyseOptions, AnalysisStage, PageAnalysis, RenditionSize, Rotation, TurnAlternative } from '../shared/types.ts';

/** Default time the barcode ladder may spend on one page before giving up. */
export const DEFAULT_BARCODE_BUDGET_MS = 1500;
const A4_RATIO = 297 / 210;


/** Maps a point of the scan into the upright page (both as fractions of their size). */
function toUpright(x: number, y: number, w: number, h: number, quarterTurns: number, degrees: number): [number, number] {
  const q = ((quarterTurns % 4) + 4) % 4;
  const outW = q % 2 === 1 ? h : w;
  const outH = q % 2 === 1 ? w : h;
  const a = ((q * 90 + degrees) * Math.PI) / 180;
  const dx = x - w / 2;
  const dy = y - h / 2;
  const ux = Math.cos(a) * dx - Math.sin(a) * dy + outW / 2;
  const uy = Math.sin(a) * dx + Math.cos(a) * dy + outH / 2;
  return [ux / outW, uy / outH];
}

/** Code areas in upright page fractions, widened to take in the printed digits beside a code. */
function codeMasks(codes: PlacedCode[], w: number, h: number, quarterTurns: number, degrees: number): PageBox[] {
  return codes.map((code) => {
    const points = [code.page.topLeft, code.page.topRight, code.page.bottomRight, code.page.bottomLeft].map(([x, y]) => toUpright(x, y, w, h, quarterTurns, degrees));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    // a linear code's reported position can be a thin band across the bars: grow each side by a share of the
    // code's length, which covers the bar height and the printed digits
    const length = Math.max(x1 - x0, (y1 - y0) * (w / h));
    const growX = length * 0.12 + 0.01;
    const growY = length * 0.12 * (w / h) + 0.01;
    return { x0: x0 - growX, y0: y0 - growY, x1: x1 + growX, y1: y1 + growY };
  });
}

function diagnose(dpi: number | null, width: number, height: number): string[] {
  const notes: string[] = [];
  if (dpi === null) notes.push('dpi_unknown');
  else if (Math.abs(dpi - EXPECTED_DPI) > EXPECTED_DPI * 0.15) notes.push('dpi_far_from_200');
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (Math.abs(ratio - A4_RATIO) > A4_RATIO * 0.05) notes.push('not_a4_shape');
  return notes;
}

/** Stage times of one page, when profiled: each call closes the stage that ran since the previous one. */
function createStageClock(enabled: boolean, startedAt: number): { lap: (stage: AnalysisStage, lessMs?: number) => void; times: Partial<Record<AnalysisStage, number>> } {
  const times: Partial<Record<AnalysisStage, number>> = {};
  let last = startedAt;
  return {
    times,
    lap: (stage, lessMs = 0) => {
      if (!enabled) return;
      const now = performance.now();
      times[stage] = (times[stage] ?? 0) + now - last - lessMs;
      last = now;
    },
  };
}

async function analysePage(page: GreyImage, index: number, dpi: number | null, options: AnalyseOptions, decodeMs: number): Promise<PageAnalysis> {
  const clock = createStageClock(options.profile === true, performance.now());
  const pattern = options.pattern ?? DEFAULT_BLANK_PATTERN;
  const levels = measureLevels(page);
  const barcode = await findBlankNumber(page, levels, pattern, options.budgetMs ?? DEFAULT_BARCODE_BUDGET_MS);
  clock.lap('zxing', barcode.locateMs);
  if (options.profile === true) clock.times.locate = barcode.locateMs;
  const reduced = reducePage(page, levels);
  clock.lap('reduce');
  const small = reduced.small;
  // thin strokes average to mid-grey at this scale: threshold nearer the paper than the midpoint
  const smallThreshold = levels.paper - (levels.paper - levels.ink) * 0.3;
  const orientation = detectOrientation(small, smallThreshold, barcode.code?.rotation ?? null, page, (levels.paper + levels.ink) / 2);
  clock.lap('orientation');
  const quarterTurns = orientation.rotation / 90;
  const masks = codeMasks(barcode.codes, page.width, page.height, quarterTurns, -orientation.skewDegrees);
  // unmasked first: the other turns are this grid turned, each masked by its own code areas (codeMasks at that turn)
  const { inkSignature, hashGrid } = computeInkSignature(reduced, quarterTurns, -orientation.skewDegrees);
  // a square page keeps the short grid at every turn, so turning its grid would give the long one
  const square = reduced.ink.width === reduced.ink.height;
  // without a code the words decided; the batch may know better from pages of the same form, so it gets the page
  // under the other three turns too (a quarter turn leaves a clockwise skew as it is)
  // the words run across the code: the batch may find the form prints its code sideways (finaliseFill)
  const wordsAcross = orientation.source === 'barcode' && orientation.contentAxis !== (orientation.rotation % 180 === 0 ? 'rows' : 'columns');
  const alternatives: TurnAlternative[] =
    orientation.source === 'content' || wordsAcross
      ? [1, 2, 3].map((extra) => {
          const turns = (quarterTurns + extra) % 4;
          const turned = square && extra % 2 === 1 ? computeInkSignature(reduced, turns, -orientation.skewDegrees).inkSignature : turnInkSignature(inkSignature, extra);
          maskCells(turned, codeMasks(barcode.codes, page.width, page.height, turns, -orientation.skewDegrees));
          return { rotation: (turns * 90) as Rotation, inkSignature: turned, imageHash: hashImage(computeHashGrid(small, turns, -orientation.skewDegrees)) };
        })
      : [];
  maskCells(inkSignature, masks);
  // Without a template a single page cannot tell print from handwriting: the provisional call counts all ink
  // (so it says 'filled' for any printed form) and finaliseFill decides from the batch.
  const fill = (options.template === undefined ? null : judgeAgainstTemplate(options.template.signature)(inkSignature)) ?? measureAllInk(inkSignature);
  clock.lap('inkSignature');
  const imageHash = hashImage(hashGrid);
  clock.lap('hash');
  const result: PageAnalysis = {
    page: index + 1,
    blankNumber: barcode.blankNumber,
    symbology: barcode.symbology,
    reason: barcode.reason,
    readStep: barcode.readStep,
    rotation: orientation.rotation,
    skewDegrees: orientation.skewDegrees,
    fill: fill.fill,
    inkScore: fill.inkScore,
    dpi,
    width: page.width,
    height: page.height,
    // the way up came from the page content, not from a barcode: finaliseFill may still correct it from the batch;
    // a page alone keeps its code's way up and notes words that run across it, which the batch may then act on
    diagnostics: [
      ...diagnose(dpi, page.width, page.height),
      ...(orientation.source === 'content' ? [ORIENTATION_FROM_CONTENT] : []),
      ...(wordsAcross ? [ORIENTATION_CONTENT_DISAGREES] : []),
    ],
    inkSignature,
    imageHash,
    ...(alternatives.length > 0 ? { alternatives } : {}),
    ...(wordsAcross ? { contentRotation: orientation.contentRotation } : {}),
  };
  if (options.wantUpright === true || (options.wantUpright === 'unread' && barcode.blankNumber === null)) {
    const upright = await encodeUpright(page, quarterTurns, -orientation.skewDegrees, dpi);
    result.uprightJpeg = upright.jpeg;
    result.uprightThumbnail = upright.thumbnail;
    clock.lap('upright');
  } else if (options.wantThumbnail === true) {
    result.uprightThumbnail = await encodeUprightThumbnail(small, quarterTurns, -orientation.skewDegrees);
    clock.lap('upright');
  }
  if (options.profile === true) result.stageMs = { decode: decodeMs, ...clock.times };
  return result;
}

/**
 * Analyses one JPEG or TIFF file: every page (a multi-page TIFF gives several) is decoded once to greyscale, then
 * barcode, orientation, fill and hash work on that buffer. Throws ScanError('unreadable_image') when it does not decode.
 */
export async function analyseImage(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<PageAnalysis[]> {
  let decodeStarted = performance.now();
  const info = await probeImage(bytes);
  const results: PageAnalysis[] = [];
  for (let index = 0; index < info.pages; index++) {
    const page = await decodeGreyPage(bytes, index, info.dpi);
    results.push(await analysePage(page, index, info.dpi, options, performance.now() - decodeStarted));
    decodeStarted = performance.now();
  }
  return results;
}

/**
 * The upright rendition of one page (1-based) of a JPEG or TIFF file, or its thumbnail, as analyseImage makes them
 * (`wantUpright`, `wantThumbnail`), for the way up and skew already decided (a page's stored rotation and skew): the
 * API makes the rendition when a page is first viewed instead of for every page of every upload, and a thumbnail
 * again when the batch turned a page. Throws ScanError('unreadable_image').
 */
export async function renderUprightPage(bytes: Uint8Array, page: number, rotation: Rotation, skewDegrees: number, size: RenditionSize = 'full'): Promise<Uint8Array> {
  const info = await probeImage(bytes);
  if (!Number.isInteger(page) || page < 1 || page > info.pages) throw new ScanError('unreadable_image', `the file has no page ${page}`);
  const decoded = await decodeGreyPage(bytes, page - 1, info.dpi);
  if (size === 'thumbnail') return encodeUprightThumbnail(downscaleGrey(decoded, REDUCTION), rotation / 90, -skewDegrees);
  return encodeUprightJpeg(decoded, rotation / 90, -skewDegrees, info.dpi);
}
