/** An 8-bit greyscale raster, row-major, one byte per pixel (0 = black, 255 = white). */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createGreyImage(width: number, height: number, fill = 255): GreyImage {
  const data = new Uint8Array(width * height);
  if (fill !== 0) data.fill(fill);
  return { width, height, data };
}
