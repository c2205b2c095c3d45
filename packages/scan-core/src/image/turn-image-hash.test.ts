import { describe, expect, it } from 'vitest';
import type { GreyImage } from './grey-image.ts';
import { rotateGrey } from './rotate-grey.ts';
import { hashImage } from './hash-image.ts';
import { turnImageHash } from './turn-image-hash.ts';

function page(seed: number): GreyImage {
  const width = 170;
  const height = 240;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const x = i % width;
    const y = (i / width) | 0;
    // smooth, asymmetric content so no two neighbouring hash cells are equal
    data[i] = Math.round(128 + 60 * Math.sin((x + seed) / 23) + 50 * Math.cos((y * (seed + 2)) / 57) + x / 5);
  }
  return { width, height, data };
}

describe('turnImageHash', () => {
  it('gives the hash of the page turned by 180°', () => {
    for (const seed of [1, 2, 3]) {
      const image = page(seed);
      expect(turnImageHash(hashImage(image))).toBe(hashImage(rotateGrey(image, 2, 0)));
    }
  });

  it('turned twice is the same hash', () => {
    const hash = hashImage(page(5));
    expect(turnImageHash(turnImageHash(hash))).toBe(hash);
    expect(turnImageHash(hash)).not.toBe(hash);
  });
});
