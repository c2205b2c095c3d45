import type { GreyImage } from '../image/grey-image.ts';
import type { Levels } from '../image/measure-levels.ts';
import type { InkSignature } from '../page/types.ts';

/**
 * Signature grid: 8 px cells on an A4 page at 200 dpi. Fine enough that one handwritten digit in a 5 mm answer box
 * fills several cells clear of the box's frame, coarse enough that pages registered a few pixels apart compare.
 */
export const SIGNATURE_WIDTH = 207;
export const SIGNATURE_HEIGHT = 292;
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

/**
 * Share of ink pixels per cell of the upright page (0..254), sampled from the scan as it is: each sampled pixel is
 * mapped through the turn and deskew, so no upright raster is built. Counting pixels darker than the page's own
 * midpoint, rather than averaging grey, makes a stroke weigh the same on a crisp, washed-out, blurred or bilevel
 * scan — which is what lets pages of a batch be compared cell by cell.
 * Cells covering `masked` boxes (codes that were read) get MASKED_CELL, which the fill logic treats like solid
 * black: ignored on this page and, when many pages of a batch share it, on all of them.
 */
export function computeInkSignature(page: GreyImage, levels: Levels, quarterTurns: number, degrees: number, masked: readonly PageBox[] = []): UprightSummary {
  const n = SIGNATURE_WIDTH * SIGNATURE_HEIGHT;
  const ink = new Uint32Array(n);
  const seen = new Uint32Array(n);
  const hashSums = new Float64Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  const hashCounts = new Uint32Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  const { width: w, height: h, data } = page;
  const q = ((quarterTurns % 4) + 4) % 4;
  const outW = q % 2 === 1 ? h : w;
  const outH = q % 2 === 1 ? w : h;
  const a = ((q * 90 + degrees) * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const threshold = levels.paper - (levels.paper - levels.ink) * 0.45;
  const sx = SIGNATURE_WIDTH / outW;
  const sy = SIGNATURE_HEIGHT / outH;
  const hx = HASH_GRID_WIDTH / outW;
  const hy = HASH_GRID_HEIGHT / outH;
  // every row, every other column: thin strokes are still sampled, at half the cost
  const STEP = 2;
  for (let y = 0; y < h; y++) {
    const dy = y - h / 2;
    // upright coordinates of (0, y), then per-step increments along the row
    let ux = -cos * (w / 2) - sin * dy + outW / 2;
    let uy = -sin * (w / 2) + cos * dy + outH / 2;
    const ix = cos * STEP;
    const iy = sin * STEP;
    const row = y * w;
    for (let x = 0; x < w; x += STEP, ux += ix, uy += iy) {
      if (ux < 0 || uy < 0 || ux >= outW || uy >= outH) continue;
      const v = data[row + x] as number;
      const c = ((uy * sy) | 0) * SIGNATURE_WIDTH + ((ux * sx) | 0);
      seen[c] = (seen[c] as number) + 1;
      if (v < threshold) ink[c] = (ink[c] as number) + 1;
      const hc = ((uy * hy) | 0) * HASH_GRID_WIDTH + ((ux * hx) | 0);
      hashSums[hc] = (hashSums[hc] as number) + v;
      hashCounts[hc] = (hashCounts[hc] as number) + 1;
    }
  }
  const cells = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = seen[i] as number;
    cells[i] = s === 0 ? 0 : Math.round(((ink[i] as number) / s) * 254);
  }
  for (const m of masked) {
    const x0 = Math.max(0, Math.floor(m.x0 * SIGNATURE_WIDTH));
    const x1 = Math.min(SIGNATURE_WIDTH, Math.ceil(m.x1 * SIGNATURE_WIDTH));
    const y0 = Math.max(0, Math.floor(m.y0 * SIGNATURE_HEIGHT));
    const y1 = Math.min(SIGNATURE_HEIGHT, Math.ceil(m.y1 * SIGNATURE_HEIGHT));
    for (let y = y0; y < y1; y++) if (x1 > x0) cells.fill(MASKED_CELL, y * SIGNATURE_WIDTH + x0, y * SIGNATURE_WIDTH + x1);
  }
  const grid = new Uint8Array(HASH_GRID_WIDTH * HASH_GRID_HEIGHT);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.round((hashSums[i] as number) / Math.max(1, hashCounts[i] as number));
  return { inkSignature: { width: SIGNATURE_WIDTH, height: SIGNATURE_HEIGHT, cells }, hashGrid: { width: HASH_GRID_WIDTH, height: HASH_GRID_HEIGHT, data: grid } };
}
