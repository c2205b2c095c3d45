import type { FillState, InkSignature } from '../page/types.ts';

/** A cell counts as handwriting when it is this much darker (of 255) than the print expected there. */
export const INK_CELL_THRESHOLD = 38;
/** Cells of handwriting needed to call a page filled: one digit gives about 4–8. Kept low: filled-called-empty costs most. */
export const FILLED_MIN_CELLS = 3;
/** Outer band ignored: scanner borders, punched holes, staples live there, not answers. */
const MARGIN = 0.035;
const SOLID = 200;

export interface HandwritingMeasure {
  fill: FillState;
  /** cells of ink not explained by the print */
  inkScore: number;
}

/** Best translation (in cells) of `page` onto `reference`, by least absolute difference on a sparse grid. */
export function alignSignature(page: InkSignature, reference: InkSignature, reach = 4): [number, number] {
  const { width, height } = page;
  let best: [number, number] = [0, 0];
  let bestCost = Infinity;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      let cost = 0;
      for (let y = reach + 1; y < height - reach - 1; y += 2) {
        for (let x = reach + 1; x < width - reach - 1; x += 2) {
          const a = page.cells[y * width + x] ?? 0;
          const b = reference.cells[(y + dy) * width + (x + dx)] ?? 0;
          cost += a > b ? a - b : b - a;
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = [dx, dy];
      }
    }
  }
  return best;
}

/** Shifts a signature so that cell (x, y) takes the value of (x - dx, y - dy). */
export function shiftSignature(signature: InkSignature, dx: number, dy: number): InkSignature {
  const { width, height } = signature;
  const cells = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < width) cells[y * width + x] = signature.cells[sy * width + sx] ?? 0;
    }
  }
  return { width, height, cells };
}

/**
 * Handwriting = ink the print does not explain. Each page cell is compared with the darkest print value in its
 * 3×3 neighbourhood (tolerating a cell of misregistration); solid regions (holes, borders, blacked-out scanner lid)
 * and the outer band are ignored; `ignore` marks cells where even the print varies from page to page.
 */
export function measureHandwriting(page: InkSignature, print: InkSignature, ignore?: Uint8Array): HandwritingMeasure {
  const { width, height } = page;
  const mx = Math.ceil(width * MARGIN);
  const my = Math.ceil(height * MARGIN);
  const solid = new Uint8Array(width * height);
  for (let i = 0; i < solid.length; i++) {
    if ((page.cells[i] ?? 0) >= SOLID) {
      const x = i % width;
      const y = (i / width) | 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height) solid[ny * width + nx] = 1;
      }
    }
  }
  let score = 0;
  for (let y = my; y < height - my; y++) {
    for (let x = mx; x < width - mx; x++) {
      const i = y * width + x;
      if ((solid[i] ?? 0) === 1 || (ignore !== undefined && (ignore[i] ?? 0) === 1)) continue;
      let expected = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const row = (y + dy) * width;
        for (let dx = -1; dx <= 1; dx++) expected = Math.max(expected, print.cells[row + x + dx] ?? 0);
      }
      if ((page.cells[i] ?? 0) - expected >= INK_CELL_THRESHOLD) score++;
    }
  }
  return { fill: score >= FILLED_MIN_CELLS ? 'filled' : 'empty', inkScore: score };
}
