import type { GreyImage } from './grey-image.ts';

/** Box-filter reduction by an integer factor: cheap, and averaging keeps thin strokes visible as grey. */
export function downscaleGrey(image: GreyImage, factor: number): GreyImage {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return image;
  const w = Math.floor(image.width / f);
  const h = Math.floor(image.height / f);
  const out = new Uint8Array(w * h);
  const sums = new Uint32Array(w);
  const src = image.data;
  const srcW = image.width;
  const area = f * f;
  const half = area >> 1;
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy++) {
      let sx = (y * f + dy) * srcW;
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let dx = 0; dx < f; dx++) s += src[sx++] as number;
        sums[x] = (sums[x] as number) + s;
      }
    }
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = ((sums[x] as number) + half) / area;
  }
  return { width: w, height: h, data: out };
}
