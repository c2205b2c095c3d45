import { describe, expect, it } from 'vitest';
import { nthSmallest } from './nth-smallest.ts';

/** A small deterministic generator, so a failure names the same arrays every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('nthSmallest', () => {
  it('gives the sorted array value at every rank, with many ties and without', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 300; trial++) {
      const length = 1 + Math.floor(random() * 200);
      // few distinct values on odd trials: ties are what a selection gets wrong
      const distinct = trial % 2 === 1 ? 1 + Math.floor(random() * 4) : 1000;
      const values = Float64Array.from({ length }, () => Math.floor(random() * distinct) / 7);
      const sorted = values.slice().sort();
      for (const rank of [0, length >> 1, length - 1, Math.floor(random() * length)]) {
        expect(nthSmallest(values.slice(), rank)).toBe(sorted[rank]);
      }
    }
  });
});
