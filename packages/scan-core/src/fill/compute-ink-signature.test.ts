/**
 * The page's ink signature under the other turns, made by turning the grid instead of another pass over the page:
 * it must be the signature a pass at that turn gives (up to the rounding of a cell), with the grid's shape turned.
 */
import { describe, expect, it } from 'vitest';
import { computeHashGrid, computeInkSignature, maskCells, MASKED_CELL, SIGNATURE_LONG, SIGNATURE_SHORT, turnInkSignature } from './compute-ink-signature.ts';
import { INK_FULL } from '../image/reduce-page.ts';
import type { ReducedPage } from '../image/reduce-page.ts';

/** A reduced A4 page (200 dpi ÷ 4) with ink only in its top-left corner block and along one long rule. */
function lopsidedPage(): ReducedPage {
  const width = 413;
  const height = 584;
  const ink = new Uint8Array(width * height);
  const small = new Uint8Array(width * height).fill(240);
  const mark = (x: number, y: number): void => {
    ink[y * width + x] = INK_FULL;
    small[y * width + x] = 20;
  };
  for (let y = 5; y < 80; y++) for (let x = 5; x < 110; x++) mark(x, y);
  for (let y = 200; y < 560; y++) mark(300, y);
  for (let x = 60; x < 380; x += 7) mark(x, 500);
  return { ink: { width, height, data: ink }, small: { width, height, data: small } };
}

describe('turnInkSignature', () => {
  const page = lopsidedPage();
  for (const degrees of [0, 1.3, -2.1]) {
    for (const extra of [1, 2, 3]) {
      it(`gives the signature of ${extra} more quarter turn(s) at a skew of ${degrees}°`, () => {
        const base = computeInkSignature(page, 0, degrees).inkSignature;
        const direct = computeInkSignature(page, extra, degrees).inkSignature;
        const turned = turnInkSignature(base, extra);
        expect([turned.width, turned.height]).toEqual([direct.width, direct.height]);
        let inked = 0;
        let apart = 0;
        for (let i = 0; i < direct.cells.length; i++) {
          if (Math.abs((turned.cells[i] as number) - (direct.cells[i] as number)) > 1) apart++;
          if ((direct.cells[i] as number) > 100) inked++;
        }
        expect(apart).toBe(0);
        // the page's ink landed somewhere, so the comparison above compared something
        expect(inked).toBeGreaterThan(500);
      });
    }
  }

  it('turns a portrait grid into the landscape one and back', () => {
    const base = computeInkSignature(page, 0, 0).inkSignature;
    expect([base.width, base.height]).toEqual([SIGNATURE_SHORT, SIGNATURE_LONG]);
    const quarter = turnInkSignature(base, 1);
    expect([quarter.width, quarter.height]).toEqual([SIGNATURE_LONG, SIGNATURE_SHORT]);
    // the corner block at the top left of the page is at the top right after a clockwise quarter turn
    expect(quarter.cells[10 * quarter.width + (quarter.width - 25)]).toBeGreaterThan(200);
    expect(quarter.cells[10 * quarter.width + 25]).toBe(0);
    expect(Array.from(turnInkSignature(quarter, 3).cells)).toEqual(Array.from(base.cells));
  });

  it('leaves masking to the caller: a masked box stays where maskCells puts it', () => {
    const signature = computeInkSignature(page, 0, 0).inkSignature;
    maskCells(signature, [{ x0: 0.5, y0: 0.5, x1: 0.6, y1: 0.6 }]);
    const y = Math.floor(0.55 * signature.height);
    const x = Math.floor(0.55 * signature.width);
    expect(signature.cells[y * signature.width + x]).toBe(MASKED_CELL);
    expect(turnInkSignature(signature, 2).cells[(signature.height - 1 - y) * signature.width + (signature.width - 1 - x)]).toBe(MASKED_CELL);
  });
});

describe('computeHashGrid', () => {
  it('is the grey summary of the page at the turn asked for', () => {
    const page = lopsidedPage();
    const upright = computeHashGrid(page.small, 0, 0);
    const halfTurn = computeHashGrid(page.small, 2, 0);
    // the dark corner block: top left upright, bottom right turned by 180°
    expect(upright.data[0]).toBeLessThan(200);
    expect(halfTurn.data[halfTurn.data.length - 1]).toBeLessThan(200);
    expect(halfTurn.data[0]).toBe(240);
  });
});
