import type { Rect } from '../image/crop-grey.ts';
import { clampRect } from '../image/crop-grey.ts';
import type { GreyImage } from '../image/grey-image.ts';
import type { Levels } from '../image/measure-levels.ts';
import { darkBytes, paperCarry } from '../image/paper-words.ts';

export interface CodeRegion extends Rect {
  /** higher = more barcode-like */
  score: number;
  /** 'linear' for bars (1D codes, PDF417), 'matrix' for 2D module grids */
  kind: 'linear' | 'matrix';
  /** for bars: true when they run up and down the image, so scanning along rows crosses them */
  barsVertical: boolean;
}

export const LOCATOR_BLOCK = 16;
/** The top bit of a word's third byte (darkBytes), the sampled column of each four pixels. */
const THIRD_BYTE = 0x800000;

export interface BlockFeatures {
  bw: number;
  bh: number;
  /** per block: dark fraction along sampled rows, dark-run starts along rows and along columns, dark samples in columns */
  darkRows: Uint16Array;
  runsRows: Uint16Array;
  darkCols: Uint16Array;
  runsCols: Uint16Array;
}

/** Dark runs along every 4th row and every 4th column, per 16×16 block. One pass, row-major. */
export function measureBlocks(image: GreyImage, threshold: number): BlockFeatures {
  const B = LOCATOR_BLOCK;
  const { width, data } = image;
  const bw = Math.floor(width / B);
  const bh = Math.floor(image.height / B);
  const n = bw * bh;
  const darkRows = new Uint16Array(n);
  const runsRows = new Uint16Array(n);
  const darkCols = new Uint16Array(n);
  const runsCols = new Uint16Array(n);
  const usedW = bw * B;
  // whether the pixel above, in each sampled column, was dark
  const colPrev = new Uint8Array(bw * 4);
  const colPrev32 = new Uint32Array(colPrev.buffer);
  // paper is told four pixels at a time (paper-words.ts)
  const carry = paperCarry(threshold);
  const words = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let y = 0; y < bh * B; y++) {
    const row = y * width;
    const base = ((y / B) | 0) * bw;
    if ((y & 3) === 2) {
      // a run that starts in one block and goes on into the next is counted once, where it starts
      let prevDark = false;
      for (let b = base, x = row, blockEnd = row + B; x < row + usedW; b++, blockEnd += B) {
        let dark = 0;
        let runs = 0;
        for (; x < blockEnd; x += 4) {
          if (carry !== null && darkBytes(words.getUint32(x, true), carry) === 0) {
            prevDark = false;
            continue;
          }
          for (let at = x; at < x + 4; at++) {
            if ((data[at] as number) < threshold) {
              dark++;
              if (!prevDark) runs++;
              prevDark = true;
            } else prevDark = false;
          }
        }
        if (dark > 0) {
          darkRows[b] = (darkRows[b] as number) + dark;
          runsRows[b] = (runsRows[b] as number) + runs;
        }
      }
    }
    // columns 2, 6, 10 and 14 of each block, counted per block before they are added (most blocks are paper)
    for (let b = base, x = row + 2, c = 0; c < bw * 4; b++) {
      // the four samples are the third byte of the block's four words (a mark spilt from a dark byte below it only
      // sends a paper block the full way)
      if (
        carry !== null &&
        ((darkBytes(words.getUint32(x - 2, true), carry) | darkBytes(words.getUint32(x + 2, true), carry) | darkBytes(words.getUint32(x + 6, true), carry) | darkBytes(words.getUint32(x + 10, true), carry)) & THIRD_BYTE) === 0
      ) {
        colPrev32[b - base] = 0;
        x += 16;
        c += 4;
        continue;
      }
      let dark = 0;
      let runs = 0;
      for (let k = 0; k < 4; k++, x += 4, c++) {
        if ((data[x] as number) < threshold) {
          dark++;
          if ((colPrev[c] as number) === 0) runs++;
          colPrev[c] = 1;
        } else colPrev[c] = 0;
      }
      if (dark > 0) {
        darkCols[b] = (darkCols[b] as number) + dark;
        runsCols[b] = (runsCols[b] as number) + runs;
      }
    }
  }
  return { bw, bh, darkRows, runsRows, darkCols, runsCols };
}

/**
 * Finds page regions that look like barcodes, without assuming where a form prints them. Per block it looks at dark
 * runs: bars are long runs one way and many short runs the other way (a linear code at any of the four turns);
 * a 2D code is about half dark with runs of several pixels both ways, unlike text and handwriting, whose strokes
 * are thin. Connected code-like blocks become candidate regions, best first.
 */
export function locateCodeRegions(image: GreyImage, levels: Levels, maxRegions = 6): CodeRegion[] {
  const B = LOCATOR_BLOCK;
  if (image.width < 4 * B || image.height < 4 * B) return [];
  const threshold = (levels.paper + levels.ink) / 2;
  const f = measureBlocks(image, threshold);
  const { bw, bh } = f;
  const samples = (B / 4) * B;
  const strength = new Float32Array(bw * bh);
  const linear = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    const dr = f.darkRows[i] as number;
    const dc = f.darkCols[i] as number;
    const dark = (dr + dc) / (2 * samples);
    if (dark < 0.15 || dark > 0.92) continue;
    const rr = f.runsRows[i] as number;
    const rc = f.runsCols[i] as number;
    // mean dark run length along rows / columns
    const lenR = rr > 0 ? dr / rr : B;
    const lenC = rc > 0 ? dc / rc : B;
    const longer = Math.max(lenR, lenC);
    const shorter = Math.min(lenR, lenC);
    const runsAcross = lenR < lenC ? rr : rc;
    if (longer >= 7 && shorter * 2.2 <= longer && runsAcross >= 5) {
      // bars: long one way, many across
      strength[i] = runsAcross / 4;
      linear[i] = 1;
    } else if (shorter >= 3 && dark >= 0.25 && dark <= 0.85 && rr + rc >= 2) {
      // thick runs both ways and much ink: modules, not pen or print strokes (2–3 px)
      strength[i] = dark * 4;
    }
  }
  const label = new Int32Array(bw * bh).fill(-1);
  const regions: CodeRegion[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < bw * bh; start++) {
    if ((strength[start] as number) === 0 || (label[start] as number) >= 0) continue;
    label[start] = next;
    stack.push(start);
    let minX = bw;
    let minY = bh;
    let maxX = 0;
    let maxY = 0;
    let sum = 0;
    let blocks = 0;
    let linearBlocks = 0;
    let darkR = 0;
    let runsR = 0;
    let darkC = 0;
    let runsC = 0;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % bw;
      const y = (i / bw) | 0;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      sum += strength[i] as number;
      blocks++;
      linearBlocks += linear[i] as number;
      darkR += f.darkRows[i] as number;
      runsR += f.runsRows[i] as number;
      darkC += f.darkCols[i] as number;
      runsC += f.runsCols[i] as number;
      // gaps are bridged: wide bars, wide spaces and big light modules leave holes in the block map
      const reach = 2;
      for (let dy = -reach; dy <= reach; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= bh) continue;
        for (let dx = -reach; dx <= reach; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= bw) continue;
          const j = ny * bw + nx;
          if ((strength[j] as number) > 0 && (label[j] as number) < 0) {
            label[j] = next;
            stack.push(j);
          }
        }
      }
    }
    next++;
    const spanX = maxX - minX + 1;
    const spanY = maxY - minY + 1;
    // a lone block is noise; a page-wide band is text or a frame
    if (blocks < 3 || spanX * spanY > bw * bh * 0.12) continue;
    const fill = blocks / (spanX * spanY);
    // codes are compact; a long strip of blocks is a heading or a rule (a rectangular DataMatrix is about 4:1)
    const aspect = Math.max(spanX, spanY) / Math.min(spanX, spanY);
    // over the whole region, bars give long runs along them and short ones across; modules give similar runs both ways
    const runRows = darkR / Math.max(1, runsR);
    const runCols = darkC / Math.max(1, runsC);
    const linearRegion = Math.max(runRows, runCols) >= 2.5 * Math.min(runRows, runCols) || linearBlocks * 2 > blocks;
    const stretch = !linearRegion && aspect > 5 ? 5 / aspect : 1;
    const margin = B;
    // a 2D code holding a blank number is small (about an inch at most); bigger module-like areas are dense text
    if (!linearRegion && Math.max(spanX, spanY) * B > Math.min(image.width, image.height) * 0.25) continue;
    // a linear code holding many digits is long across its bars (17 digits of Code 128 are ~145 modules); short
    // bar-like patches are text strokes and handwriting
    const across = (runCols > runRows ? spanX : spanY) * B;
    if (linearRegion && across < Math.min(image.width, image.height) * 0.08) continue;
    const rect = clampRect({ x: minX * B - margin, y: minY * B - margin, width: spanX * B + 2 * margin, height: spanY * B + 2 * margin }, image.width, image.height);
    if (rect === null) continue;
    regions.push({ ...rect, score: (sum / blocks) * Math.sqrt(blocks) * (0.4 + fill) * stretch, kind: linearRegion ? 'linear' : 'matrix', barsVertical: runCols > runRows });
  }
  return regions.sort((a, b) => b.score - a.score).slice(0, maxRegions);
}
