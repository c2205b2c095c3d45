import type { GreyImage } from './grey-image.ts';

/** The turned image's size, the turn's cosine and sine, and the centres it turns about (rotateGrey, rotatePage). */
function turnGeometry(image: GreyImage, q: number, degrees: number): { outW: number; outH: number; cos: number; sin: number; cxOut: number; cyOut: number; cxIn: number; cyIn: number } {
  const swap = q % 2 === 1;
  const outW = swap ? image.height : image.width;
  const outH = swap ? image.width : image.height;
  const total = (q * 90 + degrees) * (Math.PI / 180);
  return { outW, outH, cos: Math.cos(total), sin: Math.sin(total), cxOut: (outW - 1) / 2, cyOut: (outH - 1) / 2, cxIn: (image.width - 1) / 2, cyIn: (image.height - 1) / 2 };
}

/**
 * Turns an image clockwise by `quarterTurns` × 90° and then by `degrees` (clockwise positive, small), with bilinear
 * sampling. The output keeps the turned size; corners uncovered by the source get `background`.
 */
export function rotateGrey(image: GreyImage, quarterTurns: number, degrees: number, background = 255): GreyImage {
  const q = ((quarterTurns % 4) + 4) % 4;
  const { outW, outH, cos, sin, cxOut, cyOut, cxIn, cyIn } = turnGeometry(image, q, degrees);
  const out = new Uint8Array(outW * outH);
  const src = image.data;
  const w = image.width;
  const h = image.height;
  const exact = Math.abs(degrees) < 1e-6;
  for (let y = 0; y < outH; y++) {
    const dy = y - cyOut;
    for (let x = 0; x < outW; x++) {
      const dx = x - cxOut;
      // inverse of a clockwise turn (image y points down)
      const sx = cos * dx + sin * dy + cxIn;
      const sy = -sin * dx + cos * dy + cyIn;
      let v = background;
      if (exact) {
        const ix = Math.round(sx);
        const iy = Math.round(sy);
        if (ix >= 0 && iy >= 0 && ix < w && iy < h) v = src[iy * w + ix] ?? background;
      } else {
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
          const fx = sx - x0;
          const fy = sy - y0;
          const i = y0 * w + x0;
          const a = src[i] ?? background;
          const b = src[i + 1] ?? background;
          const c = src[i + w] ?? background;
          const d = src[i + w + 1] ?? background;
          v = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
        }
      }
      out[y * outW + x] = v;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Fixed-point precision of rotatePage's source coordinates: 16 fractional bits. */
const FIXED_ONE = 65536;
/** Longest side rotatePage's coordinates hold in a 32-bit integer with 16 fractional bits. */
export const ROTATE_PAGE_MAX_SIDE = 32_767;

/**
 * rotateGrey for a whole page, for the stored upright rendition: the same turn and bilinear sampling, with the
 * source coordinates stepped along each row in 16.16 fixed point and the weights in 256ths of a pixel, so a 200 dpi
 * A4 page turns in a fraction of the time (libvips' general affine takes several times longer for a small angle).
 * Pixels the source does not cover, including its last row and column, get `background`. The fixed point holds
 * sides up to ROTATE_PAGE_MAX_SIDE pixels; larger pages are turned by rotateGrey.
 */
export function rotatePage(image: GreyImage, quarterTurns: number, degrees: number, background = 255): GreyImage {
  const q = ((quarterTurns % 4) + 4) % 4;
  if (degrees === 0) return turnQuarters(image, q);
  if (Math.max(image.width, image.height) > ROTATE_PAGE_MAX_SIDE) return rotateGrey(image, q, degrees, background);
  const { outW, outH, cos, sin, cxOut, cyOut, cxIn, cyIn } = turnGeometry(image, q, degrees);
  const out = new Uint8Array(outW * outH);
  const src = image.data;
  const w = image.width;
  const h = image.height;
  // a source position is inside when both its integer parts leave room for the pixel to the right and below
  const maxX = (w - 1) * FIXED_ONE;
  const maxY = (h - 1) * FIXED_ONE;
  const stepX = Math.round(cos * FIXED_ONE);
  const stepY = Math.round(-sin * FIXED_ONE);
  for (let y = 0; y < outH; y++) {
    const dy = y - cyOut;
    // the row's first source position, as in rotateGrey: inverse of a clockwise turn (image y points down)
    let sx = Math.round((cos * -cxOut + sin * dy + cxIn) * FIXED_ONE);
    let sy = Math.round((-sin * -cxOut + cos * dy + cyIn) * FIXED_ONE);
    let o = y * outW;
    for (let x = 0; x < outW; x++, sx += stepX, sy += stepY, o++) {
      if (sx < 0 || sy < 0 || sx >= maxX || sy >= maxY) {
        out[o] = background;
        continue;
      }
      const i = (sy >> 16) * w + (sx >> 16);
      const fx = (sx >> 8) & 255;
      const fy = (sy >> 8) & 255;
      const top = (src[i] as number) * (256 - fx) + (src[i + 1] as number) * fx;
      const bottom = (src[i + w] as number) * (256 - fx) + (src[i + w + 1] as number) * fx;
      out[o] = (top * (256 - fy) + bottom * fy + 32768) >> 16;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Side of the square tiles turnQuarters copies at a time: a tile's source rows stay in the cache. */
const TILE = 64;

/** Quarter turns clockwise, pixel for pixel. */
function turnQuarters(image: GreyImage, q: number): GreyImage {
  const { width: w, height: h, data: src } = image;
  if (q === 0) return { width: w, height: h, data: src.slice() };
  if (q === 2) return { width: w, height: h, data: src.slice().reverse() };
  const out = new Uint8Array(w * h);
  // the turned page is h wide and w high; a clockwise turn takes its row y from source column y, read bottom up
  // (an anticlockwise one from column w − 1 − y, read top down)
  for (let tileY = 0; tileY < w; tileY += TILE) {
    const endY = Math.min(w, tileY + TILE);
    for (let tileX = 0; tileX < h; tileX += TILE) {
      const endX = Math.min(h, tileX + TILE);
      for (let y = tileY; y < endY; y++) {
        const row = y * h;
        if (q === 1) for (let x = tileX, from = (h - 1 - tileX) * w + y; x < endX; x++, from -= w) out[row + x] = src[from] as number;
        else for (let x = tileX, from = tileX * w + (w - 1 - y); x < endX; x++, from += w) out[row + x] = src[from] as number;
      }
    }
  }
  return { width: h, height: w, data: out };
}
