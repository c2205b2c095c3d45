/**
 * measureBlocks passes over paper four pixels at a time: it must count exactly what reading every sampled pixel one
 * by one counts, at any threshold (the word test is off below mid-grey) and on a page that starts inside its buffer.
 */
import { describe, expect, it } from 'vitest';
import type { GreyImage } from '../image/grey-image.ts';
import { LOCATOR_BLOCK, measureBlocks } from './locate-code-regions.ts';

/** The block features as the definition reads: every 4th row (the 3rd of each 4) and columns 2, 6, 10, 14 of each block. */
function measureOneByOne(image: GreyImage, threshold: number): Record<'darkRows' | 'runsRows' | 'darkCols' | 'runsCols', number[]> {
  const B = LOCATOR_BLOCK;
  const bw = Math.floor(image.width / B);
  const bh = Math.floor(image.height / B);
  const dark = (x: number, y: number): boolean => (image.data[y * image.width + x] as number) < threshold;
  const out = { darkRows: [] as number[], runsRows: [] as number[], darkCols: [] as number[], runsCols: [] as number[] };
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let darkRows = 0;
      let runsRows = 0;
      let darkCols = 0;
      let runsCols = 0;
      for (let y = by * B; y < (by + 1) * B; y++) {
        if ((y & 3) !== 2) continue;
        for (let x = bx * B; x < (bx + 1) * B; x++) {
          if (!dark(x, y)) continue;
          darkRows++;
          // a run is counted in the block where it starts
          if (x === 0 || !dark(x - 1, y)) runsRows++;
        }
      }
      for (const cx of [2, 6, 10, 14]) {
        const x = bx * B + cx;
        for (let y = by * B; y < (by + 1) * B; y++) {
          if (!dark(x, y)) continue;
          darkCols++;
          if (y === 0 || !dark(x, y - 1)) runsCols++;
        }
      }
      out.darkRows.push(darkRows);
      out.runsRows.push(runsRows);
      out.darkCols.push(darkCols);
      out.runsCols.push(runsCols);
    }
  }
  return out;
}

describe('measureBlocks', () => {
  for (const [paper, threshold] of [
    [240, 140],
    [240, 139.5],
    [255, 127.5],
    [110, 70],
    [200, 186],
  ] as const) {
    it(`counts dark samples and runs as one by one (paper ${paper}, threshold ${threshold})`, () => {
      const width = LOCATOR_BLOCK * 23 + 7;
      const height = LOCATOR_BLOCK * 17 + 5;
      const buffer = new Uint8Array(width * height + 3);
      let seed = paper * 7 + Math.round(threshold * 2);
      const edge = Math.ceil(threshold);
      for (let i = 0; i < buffer.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const pick = seed >>> 24;
        // paper down to the threshold (the left third nothing else), pixels one step under it, bars of ink in some rows
        const x = i % width;
        const paperOnly = x < width / 3;
        const bar = !paperOnly && (x >> 3) % 3 === 0 && ((i / width) | 0) % 32 < 12;
        buffer[i] = bar ? 10 : pick < 20 && !paperOnly ? edge - 1 : pick < 40 ? edge : Math.min(255, edge + 1 + (seed % (256 - edge)));
      }
      const image: GreyImage = { width, height, data: buffer.subarray(3, 3 + width * height) };
      const features = measureBlocks(image, threshold);
      const expected = measureOneByOne(image, threshold);
      expect(Array.from(features.darkRows)).toEqual(expected.darkRows);
      expect(Array.from(features.runsRows)).toEqual(expected.runsRows);
      expect(Array.from(features.darkCols)).toEqual(expected.darkCols);
      expect(Array.from(features.runsCols)).toEqual(expected.runsCols);
      expect(expected.darkCols.some((v) => v === 0) && expected.darkCols.some((v) => v > 0)).toBe(true);
    });
  }
});
