/**
 * rotatePage, the fixed-point turn of a whole page for its stored rendition, against rotateGrey's floating point:
 * the same picture, a grey level or so apart inside the page.
 */
import { describe, expect, it } from 'vitest';
import type { GreyImage } from './grey-image.ts';
import { rotateGrey, rotatePage } from './rotate-grey.ts';

/** A page of smooth shading with sharp black rules and a dark corner block: something to turn the wrong way. */
function testPage(width = 301, height = 427): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 200 + Math.round(40 * Math.sin(x / 17) * Math.cos(y / 23));
      if (y % 40 === 10 || x % 55 === 20) v = 10;
      if (x < 40 && y < 30) v = 0;
      data[y * width + x] = v;
    }
  }
  return { width, height, data };
}

describe('rotatePage', () => {
  const page = testPage();
  for (const quarterTurns of [0, 1, 2, 3]) {
    for (const degrees of [0.7, -2.3]) {
      it(`turns by ${quarterTurns} quarter turn(s) and ${degrees}° as rotateGrey does`, () => {
        const exact = rotateGrey(page, quarterTurns, degrees);
        const fast = rotatePage(page, quarterTurns, degrees);
        expect([fast.width, fast.height]).toEqual([exact.width, exact.height]);
        let compared = 0;
        let apart = 0;
        // inside the page, away from the corners the turn uncovers (there the two may differ by a pixel's edge)
        for (let y = 20; y < exact.height - 20; y++) {
          for (let x = 20; x < exact.width - 20; x++) {
            const i = y * exact.width + x;
            compared++;
            if (Math.abs((fast.data[i] as number) - (exact.data[i] as number)) > 2) apart++;
          }
        }
        expect(compared).toBeGreaterThan(90_000);
        expect(apart).toBe(0);
      });
    }
  }

  it('puts the top-left corner where a clockwise quarter turn takes it', () => {
    const turned = rotatePage(page, 1, 0.3);
    // the dark block at the page's top left is at the top right after a clockwise quarter turn
    expect(turned.data[10 * turned.width + (turned.width - 15)]).toBeLessThan(60);
    expect(turned.data[10 * turned.width + 15]).toBeGreaterThan(100);
  });

  it('fills what the source does not cover with the background', () => {
    const turned = rotatePage(page, 0, 5);
    expect(turned.data[0]).toBe(255);
    expect(turned.data[turned.data.length - 1]).toBe(255);
  });
});

describe('rotatePage by quarter turns only', () => {
  // larger than the 64-pixel tiles it copies, and not a multiple of them
  const page = testPage(131, 197);
  for (const quarterTurns of [0, 1, 2, 3]) {
    it(`turns by ${quarterTurns} quarter turn(s) pixel for pixel, edges included`, () => {
      expect(Array.from(rotatePage(page, quarterTurns, 0).data)).toEqual(Array.from(rotateGrey(page, quarterTurns, 0).data));
    });
  }
});
