import type { GreyImage } from './grey-image.ts';
import type { Levels } from './measure-levels.ts';
import { darkBytes, paperCarry } from './paper-words.ts';

export const REDUCTION = 4;
/** Largest value of a cell of `ink`: 4 samples (2×2 blocks) × 16. */
export const INK_FULL = 64;

export interface ReducedPage {
  /** mean grey per 4×4 block: orientation and hashing work on this */
  small: GreyImage;
  /**
   * ink per 4×4 block, 0..INK_FULL: each 2×2 block's darkest pixel, weighed by a soft ramp between paper and ink.
   * The darkest pixel, so a 1 px rule is never lost between samples; the ramp, so mid-grey print (light rules,
   * drop-out guides) weighs the same on every scan instead of flickering with noise and JPEG artefacts.
   */
  ink: GreyImage;
}

/**
 * One pass over the full page producing both reduced views, so the full-resolution buffer is read once. A block's
 * four rows are read four pixels at a time (one 32-bit word each, little-endian: the first pixel in the low byte):
 * a quarter of the loads, which is most of the cost of a pass in JavaScript.
 */
export function reducePage(page: GreyImage, levels: Levels): ReducedPage {
  const w = Math.floor(page.width / REDUCTION);
  const h = Math.floor(page.height / REDUCTION);
  const small = new Uint8Array(w * h);
  const ink = new Uint8Array(w * h);
  const range = Math.max(30, levels.paper - levels.ink);
  const light = levels.paper - range * 0.3;
  const dark = levels.paper - range * 0.6;
  const weight = new Uint8Array(256);
  for (let v = 0; v < 256; v++) weight[v] = v >= light ? 0 : v <= dark ? 16 : Math.round((16 * (light - v)) / (light - dark));
  // paper blocks (no pixel darker than `light`, so no weight) are most of a page: told four pixels at a time
  const carry = paperCarry(light);
  const src = page.data;
  const words = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const stride = page.width;
  for (let y = 0; y < h; y++) {
    const r0 = y * REDUCTION * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const o = y * w;
    for (let x = 0, sx = 0; x < w; x++, sx += REDUCTION) {
      const row0 = words.getUint32(r0 + sx, true);
      const row1 = words.getUint32(r1 + sx, true);
      const row2 = words.getUint32(r2 + sx, true);
      const row3 = words.getUint32(r3 + sx, true);
      // the 16 pixels' sum: bytes 0 and 2, then 1 and 3, added in 16-bit lanes
      const even = (row0 & 0xff00ff) + (row1 & 0xff00ff) + (row2 & 0xff00ff) + (row3 & 0xff00ff);
      const odd = ((row0 >>> 8) & 0xff00ff) + ((row1 >>> 8) & 0xff00ff) + ((row2 >>> 8) & 0xff00ff) + ((row3 >>> 8) & 0xff00ff);
      const lanes = even + odd;
      small[o + x] = (((lanes & 0xffff) + (lanes >>> 16) + 8) >> 4);
      // ink stays 0, as the array was made
      if (carry !== null && (darkBytes(row0, carry) | darkBytes(row1, carry) | darkBytes(row2, carry) | darkBytes(row3, carry)) === 0) continue;
      // the darkest pixel of each 2×2 block (left and right halves of rows 0–1, then of rows 2–3), weighed
      let m = row0 & 0xff;
      let v = (row0 >>> 8) & 0xff;
      if (v < m) m = v;
      v = row1 & 0xff;
      if (v < m) m = v;
      v = (row1 >>> 8) & 0xff;
      if (v < m) m = v;
      let inkSum = weight[m] as number;
      m = (row0 >>> 16) & 0xff;
      v = row0 >>> 24;
      if (v < m) m = v;
      v = (row1 >>> 16) & 0xff;
      if (v < m) m = v;
      v = row1 >>> 24;
      if (v < m) m = v;
      inkSum += weight[m] as number;
      m = row2 & 0xff;
      v = (row2 >>> 8) & 0xff;
      if (v < m) m = v;
      v = row3 & 0xff;
      if (v < m) m = v;
      v = (row3 >>> 8) & 0xff;
      if (v < m) m = v;
      inkSum += weight[m] as number;
      m = (row2 >>> 16) & 0xff;
      v = row2 >>> 24;
      if (v < m) m = v;
      v = (row3 >>> 16) & 0xff;
      if (v < m) m = v;
      v = row3 >>> 24;
      if (v < m) m = v;
      ink[o + x] = inkSum + (weight[m] as number);
    }
  }
  return { small: { width: w, height: h, data: small }, ink: { width: w, height: h, data: ink } };
}

