import type { GreyImage } from './grey-image.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Clamps a rectangle to the image; returns null when nothing is left. */
export function clampRect(rect: Rect, width: number, height: number): Rect | null {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function cropGrey(image: GreyImage, rect: Rect): GreyImage {
  const out = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const start = (rect.y + y) * image.width + rect.x;
    out.set(image.data.subarray(start, start + rect.width), y * rect.width);
  }
  return { width: rect.width, height: rect.height, data: out };
}
