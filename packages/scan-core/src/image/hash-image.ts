import type { GreyImage } from './grey-image.ts';

const SIDE = 16;

/**
 * Difference hash (dHash) of the upright page (or of a small grey summary of it), 16×16 gradients = 256 bits as 64 hex digits. Near-identical rescans
 * of one sheet differ in a few bits; compare with a Hamming distance.
 */
export function hashImage(image: GreyImage): string {
  const cols = SIDE + 1;
  const grid = new Float64Array(cols * SIDE);
  const counts = new Uint32Array(cols * SIDE);
  for (let y = 0; y < image.height; y++) {
    const gy = Math.min(SIDE - 1, Math.floor((y * SIDE) / image.height));
    for (let x = 0; x < image.width; x++) {
      const gx = Math.min(cols - 1, Math.floor((x * cols) / image.width));
      const i = gy * cols + gx;
      grid[i] = (grid[i] ?? 0) + (image.data[y * image.width + x] ?? 0);
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  let hex = '';
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x += 4) {
      let nibble = 0;
      for (let b = 0; b < 4; b++) {
        const i = y * cols + x + b;
        const left = (grid[i] ?? 0) / Math.max(1, counts[i] ?? 0);
        const right = (grid[i + 1] ?? 0) / Math.max(1, counts[i + 1] ?? 0);
        nibble = (nibble << 1) | (left > right ? 1 : 0);
      }
      hex += nibble.toString(16);
    }
  }
  return hex;
}
