import type { GreyImage } from '../image/grey-image.ts';
import { INK_FULL } from '../image/reduce-page.ts';
import type { ReducedPage } from '../image/reduce-page.ts';
import type { InkSignature } from '../shared/types.ts';

/**
 * Signature grid (short × long side, turned with the page): 8 px cells on an A4 page at 200 dpi. Fine enough that one handwritten digit in a 5 mm answer box
 * fills several cells clear of the box's frame, coarse enough that pages registered a few pixels apart compare.
 */
export const SIGNATURE_SHORT = 207;
export const SIGNATURE_LONG = 292;
/** Cell value meaning "not evidence": a barcode (its pattern differs on every blank) — never handwriting. */
export const MASKED_CELL = 255;
/** Grey summary of the upright page for the perceptual hash. */
export const HASH_GRID_WIDTH = 17;
export const HASH_GRID_HEIGHT = 16;

export interface UprightSummary {
  inkSignature: InkSignature;
  /** mean grey per cell of a HASH_GRID_WIDTH × HASH_GRID_HEIGHT grid of the upright page */
  hashGrid: GreyImage;
}

/** A rectangle in fractions of the upright page. */
export interface PageBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The upright page's size and the turn's cosine and sine, for mapping a reduced page's blocks onto it. */
function uprightFrame(w: number, h: number, quarterTurns: number, degrees: number): { outW: number; outH: number; cos: number; sin: number } {
  const q = ((quarterTurns % 4) + 4) % 4;
  const a = ((q * 90 + degrees) * Math.PI) / 180;
  return { outW: q % 2 === 1 ? h : w, outH: q % 2 === 1 ? w : h, cos: Math.cos(a), sin: Math.sin(a) };
}

/**
 * The cells' weights and ink sums, kept between calls on a thread (computeInkSignature uses them only while it runs):
 * two arrays of about 480 kB each, zeroed, for every page and turn otherwise. They have a cell of margin all round,
 * so a block's four shares are added without asking which of its cells are on the grid: the margin's are dropped.
 */
const PADDED_CELLS = (SIGNATURE_SHORT + 2) * (SIGNATURE_LONG + 2);
const keptSums = { weights: new Float64Array(PADDED_CELLS), ink: new Float64Array(PADDED_CELLS) };

/**
 * Share of ink per cell of the upright page (0..254), from the page's reduced ink map: each 4×4 block is mapped
 * through the turn and deskew, so no upright raster is built, and split between the four nearest cell centres
 * (bilinear), so a printed line gives nearly the same cell values whatever sub-cell position the scan put it at
 * and pages registered to the nearest cell compare cell by cell. Ink, not grey, makes a stroke weigh about the same
 * on a crisp, washed-out, blurred or bilevel scan.
 * Cells covering `masked` boxes (codes that were read) get MASKED_CELL, which the fill logic treats like solid
 * black: ignored on this page and, when many pages of a batch share it, on all of them.
 */
export function computeInkSignature(reduced: ReducedPage, quarterTurns: number, degrees: number, masked: readonly PageBox[] = []): UprightSummary {
  const { width: w, height: h } = reduced.ink;
  const { outW, outH, cos, sin } = uprightFrame(w, h, quarterTurns, degrees);
  // a landscape page gets the grid turned too: cells stay square, so a 5 mm answer box is as many cells wide on
  // a landscape blank as on a portrait one (and a page only ever matches pages of its own shape)
  const landscape = outW > outH;
  const gridWidth = landscape ? SIGNATURE_LONG : SIGNATURE_SHORT;
  const gridHeight = landscape ? SIGNATURE_SHORT : SIGNATURE_LONG;
  const n = gridWidth * gridHeight;
  const paddedWidth = gridWidth + 2;
  const weights = keptSums.weights.subarray(0, paddedWidth * (gridHeight + 2)).fill(0);
  const inkSums = keptSums.ink.subarray(0, paddedWidth * (gridHeight + 2)).fill(0);
  const inkData = reduced.ink.data;
  const sx = gridWidth / outW;
  const sy = gridHeight / outH;
  for (let y = 0; y < h; y++) {
    const dy = y + 0.5 - h / 2;
    let ux = cos * (0.5 - w / 2) - sin * dy + outW / 2;
    let uy = sin * (0.5 - w / 2) + cos * dy + outH / 2;
    const row = y * w;
    for (let x = 0; x < w; x++, ux += cos, uy += sin) {
      if (ux < 0 || uy < 0 || ux >= outW || uy >= outH) continue;
      const v = inkData[row + x] as number;
      const fx = ux * sx - 0.5;
      const fy = uy * sy - 0.5;
      // floor, as a small integer: ux and uy are inside the page, so fx and fy are at least -0.5
      const cx = fx < 0 ? -1 : fx | 0;
      const cy = fy < 0 ? -1 : fy | 0;
      const ax = fx - cx;
      const ay = fy - cy;
      // cell (cx, cy) of the grid is (cx + 1, cy + 1) of the padded one
      const base = (cy + 1) * paddedWidth + cx + 1;
      const below = base + paddedWidth;
      const s00 = (1 - ax) * (1 - ay);
      const s01 = ax * (1 - ay);
      const s10 = (1 - ax) * ay;
      const s11 = ax * ay;
      weights[base] = (weights[base] as number) + s00;
      weights[base + 1] = (weights[base + 1] as number) + s01;
      weights[below] = (weights[below] as number) + s10;
      weights[below + 1] = (weights[below + 1] as number) + s11;
      // paper adds nothing to the sums (a sum plus 0 is the same sum), and is most of a page
      if (v === 0) continue;
      inkSums[base] = (inkSums[base] as number) + s00 * v;
      inkSums[base + 1] = (inkSums[base + 1] as number) + s01 * v;
      inkSums[below] = (inkSums[below] as number) + s10 * v;
      inkSums[below + 1] = (inkSums[below + 1] as number) + s11 * v;
    }
  }
  const cells = new Uint8Array(n);
  for (let y = 0; y < gridHeight; y++) {
    for (let x = 0, i = y * gridWidth, padded = (y + 1) * paddedWidth + 1; x < gridWidth; x++, i++, padded++) {
      const weight = weights[padded] as number;
      cells[i] = weight < 1e-6 ? 0 : Math.min(254, Math.round(((inkSums[padded] as number) / (INK_FULL * weight)) * 254));
    }
  }
  const inkSignature = { width: gridWidth, height: gridHeight, cells };
  maskCells(inkSignature, masked);
  return { inkSignature, hashGrid: computeHashGrid(reduced.small, quarterTurns, degrees) };
}

/** Sets the cells under `masked` boxes (fractions of the upright page) to MASKED_CELL, in place. */
export function maskCells(signature: InkSignature, masked: readonly PageBox[]): void {
  const { width: gridWidth, height: gridHeight, cells } = signature;
  for (const m of masked) {
    const x0 = Math.max(0, Math.floor(m.x0 * gridWidth));
    const x1 = Math.min(gridWidth, Math.ceil(m.x1 * gridWidth));
    const y0 = Math.max(0, Math.floor(m.y0 * gridHeight));
    const y1 = Math.min(gridHeight, Math.ceil(m.y1 * gridHeight));
    for (let y = y0; y < y1; y++) if (x1 > x0) cells.fill(MASKED_CELL, y * gridWidth + x0, y * gridWidth + x1);
  }
}

/**
 * Mean grey per cell of a HASH_GRID_WIDTH × HASH_GRID_HEIGHT grid over the page turned by `quarterTurns` and
 * deskewed by `degrees` (as computeInkSignature maps it): the perceptual hash's input.
 */
export function computeHashGrid(small: GreyImage, quarterTurns: number, degrees: number): GreyImage {
  const { width: w, height: h, data: grey } = small;
  const { outW, outH, cos, sin } = uprightFrame(w, h, quarterTurns, degrees);
  // whole numbers (at most 255 a pixel), so the order they are added in changes nothing
  const sums = new Uint32Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  const counts = new Uint32Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  const hx = HASH_GRID_WIDTH / outW;
  const hy = HASH_GRID_HEIGHT / outH;
  for (let y = 0; y < h; y++) {
    const dy = y + 0.5 - h / 2;
    let ux = cos * (0.5 - w / 2) - sin * dy + outW / 2;
    let uy = sin * (0.5 - w / 2) + cos * dy + outH / 2;
    const row = y * w;
    // a row crosses a cell in runs of a few dozen pixels: each run is summed here and added to its cell once
    let runCell = -1;
    let runSum = 0;
    let runCount = 0;
    for (let x = 0; x < w; x++, ux += cos, uy += sin) {
      if (ux < 0 || uy < 0 || ux >= outW || uy >= outH) continue;
      const cell = ((uy * hy) | 0) * HASH_GRID_WIDTH + ((ux * hx) | 0);
      if (cell !== runCell) {
        if (runCell >= 0) {
          sums[runCell] = (sums[runCell] as number) + runSum;
          counts[runCell] = (counts[runCell] as number) + runCount;
        }
        runCell = cell;
        runSum = 0;
        runCount = 0;
      }
      runSum += grey[row + x] as number;
      runCount++;
    }
    if (runCell >= 0) {
      sums[runCell] = (sums[runCell] as number) + runSum;
      counts[runCell] = (counts[runCell] as number) + runCount;
    }
  }
  const grid = new Uint8Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.round((sums[i] as number) / Math.max(1, counts[i] as number));
  return { width: HASH_GRID_WIDTH, height: HASH_GRID_HEIGHT, data: grid };
}

/**
 * The signature of the same page turned clockwise by `quarterTurns` more: the grid turned cell for cell. The cells
 * are laid out symmetrically about the page centre and a page turned to landscape gets the long grid, so this is
 * the signature computeInkSignature gives at that turn, up to rounding, without another pass over the page; except
 * for a square page, which keeps the short grid at every turn (its odd turns need computeInkSignature).
 */
export function turnInkSignature(signature: InkSignature, quarterTurns: number): InkSignature {
  const q = ((quarterTurns % 4) + 4) % 4;
  const { width, height, cells } = signature;
  if (q === 0) return { width, height, cells: cells.slice() };
  if (q === 2) return { width, height, cells: cells.slice().reverse() };
  const out = new Uint8Array(cells.length);
  // the new grid is `height` wide; under a clockwise quarter turn its cell (x, y) was cell (y, height − 1 − x),
  // under three quarter turns cell (width − 1 − y, x)
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const from = q === 1 ? (height - 1 - x) * width + y : x * width + (width - 1 - y);
      out[y * height + x] = cells[from] as number;
    }
  }
  return { width: height, height: width, cells: out };
}
