/**
 * reducePage reads four pixels a word: it must give exactly what reading them one by one gives, on any width and
 * height (not only multiples of the block) and on a page that starts inside its buffer.
 */
import { describe, expect, it } from 'vitest';
import type { GreyImage } from './grey-image.ts';
import type { Levels } from './measure-levels.ts';
import { REDUCTION, reducePage } from './reduce-page.ts';

/** The reduction pixel by pixel, as the definition reads: mean of each 4×4 block; ink of its 2×2 blocks' darkest. */
function reduceOneByOne(page: GreyImage, levels: Levels): { small: number[]; ink: number[] } {
  const w = Math.floor(page.width / REDUCTION);
  const h = Math.floor(page.height / REDUCTION);
  const range = Math.max(30, levels.paper - levels.ink);
  const light = levels.paper - range * 0.3;
  const dark = levels.paper - range * 0.6;
  const weight = (v: number): number => (v >= light ? 0 : v <= dark ? 16 : Math.round((16 * (light - v)) / (light - dark)));
  const at = (x: number, y: number): number => page.data[y * page.width + x] as number;
  const small: number[] = [];
  const ink: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let inkSum = 0;
      for (let by = 0; by < REDUCTION; by += 2) {
        for (let bx = 0; bx < REDUCTION; bx += 2) {
          const px = x * REDUCTION + bx;
          const py = y * REDUCTION + by;
          const block = [at(px, py), at(px + 1, py), at(px, py + 1), at(px + 1, py + 1)];
          sum += block.reduce((total, v) => total + v, 0);
          inkSum += weight(Math.min(...block));
        }
      }
      small.push((sum + 8) >> 4);
      ink.push(inkSum);
    }
  }
  return { small, ink };
}

describe('reducePage', () => {
  for (const [width, height] of [
    [64, 48],
    [4 * 37 + 3, 4 * 29 + 2],
    [4 * 41 + 1, 4 * 23 + 3],
  ] as const) {
    it(`gives the pixel-by-pixel reduction of a ${width}×${height} page`, () => {
      // a page that starts 5 bytes into its buffer, of noise, ink strokes and paper
      const buffer = new Uint8Array(width * height + 9);
      let seed = width * 7919 + height;
      for (let i = 0; i < buffer.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        buffer[i] = i % 13 === 0 ? 20 + (seed % 40) : 150 + (seed >>> 24) % 106;
      }
      const page: GreyImage = { width, height, data: buffer.subarray(5, 5 + width * height) };
      const levels = { paper: 235, ink: 40 };
      const reduced = reducePage(page, levels);
      const expected = reduceOneByOne(page, levels);
      expect(Array.from(reduced.small.data)).toEqual(expected.small);
      expect(Array.from(reduced.ink.data)).toEqual(expected.ink);
      // the page's ink weighed something: the comparison compared strokes, not only paper
      expect(expected.ink.some((v) => v > 0)).toBe(true);
    });
  }

  // paper is told four pixels at once (a word whose pixels are all at or above the ink ramp): pixels right at the
  // ramp's edge, paper darker than mid-grey (where the word test is off), bilevel pages and a narrow ramp
  for (const levels of [
    { paper: 235, ink: 40 },
    { paper: 255, ink: 0 },
    { paper: 120, ink: 20 },
    { paper: 200, ink: 170 },
    { paper: 181, ink: 60 },
  ]) {
    it(`tells paper from ink exactly at the edge of the ramp (paper ${levels.paper}, ink ${levels.ink})`, () => {
      const width = 4 * 53 + 2;
      const height = 4 * 31 + 1;
      const light = levels.paper - Math.max(30, levels.paper - levels.ink) * 0.3;
      const edge = Math.ceil(light);
      let seed = levels.paper * 31 + levels.ink;
      const data = new Uint8Array(width * height);
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const pick = seed >>> 24;
        // mostly paper from just below the edge up to white, some pixels one step under it, a few strokes
        data[i] = pick < 6 ? levels.ink : pick < 30 ? edge - 1 : Math.min(255, edge + (seed % 60));
      }
      const page: GreyImage = { width, height, data };
      const reduced = reducePage(page, levels);
      const expected = reduceOneByOne(page, levels);
      expect(Array.from(reduced.small.data)).toEqual(expected.small);
      expect(Array.from(reduced.ink.data)).toEqual(expected.ink);
      // both kinds of block were there: all paper, and some ink
      expect(expected.ink.some((v) => v === 0) && expected.ink.some((v) => v > 0)).toBe(true);
    });
  }
});
