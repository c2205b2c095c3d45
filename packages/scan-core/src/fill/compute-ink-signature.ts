import type { GreyImage } from '../image/grey-image.ts';
import type { Levels } from '../image/measure-levels.ts';
import type { InkSignature } from '../page/types.ts';

/** Signature grid: about 12 px per cell on an A4 page at 200 dpi, fine enough that one handwritten digit fills cells. */
export const SIGNATURE_WIDTH = 138;
export const SIGNATURE_HEIGHT = 195;

/**
 * Darkness per cell of the upright page, scaled by the page's own paper and ink levels so washed-out, dark and
 * bilevel scans are comparable. Cells covering `masked` rectangles (fractions of the page: barcodes) are left white,
 * because a code's pattern differs on every blank and is not handwriting.
 */
export function computeInkSignature(upright: GreyImage, levels: Levels, masked: ReadonlyArray<{ x0: number; y0: number; x1: number; y1: number }> = []): InkSignature {
  const cells = new Uint8Array(SIGNATURE_WIDTH * SIGNATURE_HEIGHT);
  const sums = new Float64Array(SIGNATURE_WIDTH * SIGNATURE_HEIGHT);
  const counts = new Uint32Array(SIGNATURE_WIDTH * SIGNATURE_HEIGHT);
  const { width, height, data } = upright;
  const range = Math.max(30, levels.paper - levels.ink);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(SIGNATURE_HEIGHT - 1, Math.floor((y * SIGNATURE_HEIGHT) / height));
    for (let x = 0; x < width; x++) {
      const cx = Math.min(SIGNATURE_WIDTH - 1, Math.floor((x * SIGNATURE_WIDTH) / width));
      const i = cy * SIGNATURE_WIDTH + cx;
      const darkness = (levels.paper - (data[y * width + x] ?? 255)) / range;
      sums[i] = (sums[i] ?? 0) + (darkness < 0 ? 0 : darkness > 1 ? 1 : darkness);
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  for (let i = 0; i < cells.length; i++) cells[i] = Math.round(((sums[i] ?? 0) / Math.max(1, counts[i] ?? 0)) * 255);
  for (const m of masked) {
    const x0 = Math.max(0, Math.floor(m.x0 * SIGNATURE_WIDTH));
    const x1 = Math.min(SIGNATURE_WIDTH, Math.ceil(m.x1 * SIGNATURE_WIDTH));
    const y0 = Math.max(0, Math.floor(m.y0 * SIGNATURE_HEIGHT));
    const y1 = Math.min(SIGNATURE_HEIGHT, Math.ceil(m.y1 * SIGNATURE_HEIGHT));
    for (let y = y0; y < y1; y++) cells.fill(0, y * SIGNATURE_WIDTH + x0, y * SIGNATURE_WIDTH + x1);
  }
  return { width: SIGNATURE_WIDTH, height: SIGNATURE_HEIGHT, cells };
}
