import type { GreyImage } from './grey-image.ts';
import type { Levels } from './measure-levels.ts';

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

/** One pass over the full page producing both reduced views, so the full-resolution buffer is read once. */
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
  const src = page.data;
  const stride = page.width;
  for (let y = 0; y < h; y++) {
    const r0 = y * REDUCTION * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const o = y * w;
    for (let x = 0, sx = 0; x < w; x++, sx += REDUCTION) {
      let sum = 0;
      let inkSum = 0;
      for (let k = 0; k < REDUCTION; k += 2) {
        const a = src[r0 + sx + k] as number;
        const b = src[r0 + sx + k + 1] as number;
        const c = src[r1 + sx + k] as number;
        const d = src[r1 + sx + k + 1] as number;
        const e = src[r2 + sx + k] as number;
        const f = src[r2 + sx + k + 1] as number;
        const g = src[r3 + sx + k] as number;
        const hh = src[r3 + sx + k + 1] as number;
        sum += a + b + c + d + e + f + g + hh;
        const ab = a < b ? a : b;
        const cd = c < d ? c : d;
        const ef = e < f ? e : f;
        const gh = g < hh ? g : hh;
        const m1 = ab < cd ? ab : cd;
        const m2 = ef < gh ? ef : gh;
        inkSum += (weight[m1] as number) + (weight[m2] as number);
      }
      small[o + x] = (sum + 8) >> 4;
      ink[o + x] = inkSum;
    }
  }
  return { small: { width: w, height: h, data: small }, ink: { width: w, height: h, data: ink } };
}
