/**
 * Handwriting against a known print, on signatures drawn cell by cell: what the print does not explain counts, a
 * fold across the sheet does not, also where the fold shows only in pieces.
 */
import { describe, expect, it } from 'vitest';
import { SIGNATURE_LONG, SIGNATURE_SHORT } from './compute-ink-signature.ts';
import { alignSignature, measureHandwriting, shiftSignature } from './measure-handwriting.ts';
import type { InkSignature } from '../shared/types.ts';

const width = SIGNATURE_SHORT;
const height = SIGNATURE_LONG;

/** A ruled form: a line every 12 rows from row 40, across most of the sheet. */
function ruledForm(): InkSignature {
  const cells = new Uint8Array(width * height);
  for (let y = 40; y < height - 30; y += 12) for (let x = 20; x < width - 30; x++) cells[y * width + x] = 160;
  return { width, height, cells };
}

/** Two cells thick across the whole sheet at `row`: dark in dashes over the right part, light everywhere else. */
function addFold(page: InkSignature, row: number): void {
  for (let x = 0; x < width; x++) {
    const dash = x > width * 0.55 && x % 9 < 6;
    for (const y of [row, row + 1]) {
      const i = y * width + x;
      page.cells[i] = Math.max(page.cells[i] ?? 0, dash ? 60 : 16);
    }
  }
}

/** A written digit: a loop of dark cells between two rules. */
function addDigit(page: InkSignature, x0: number, y0: number): void {
  for (let y = y0; y < y0 + 6; y++) for (let x = x0; x < x0 + 4; x++) if (y === y0 || y === y0 + 5 || x === x0 || x === x0 + 3) page.cells[y * width + x] = 120;
}

/** A grid of light box edges, one every 6 columns and rows: the print as a batch learns it, already widened. */
function boxGrid(): InkSignature {
  const cells = new Uint8Array(width * height);
  for (let y = 40; y < 160; y++) for (let x = 40; x < 160; x++) if (x % 6 === 0 || y % 6 === 0) cells[y * width + x] = 60;
  return { width, height, cells };
}

describe('measureHandwriting', () => {
  it('counts a written digit and ignores the print', () => {
    const print = ruledForm();
    const empty = ruledForm();
    expect(measureHandwriting(empty, print).fill).toBe('empty');
    const written = ruledForm();
    addDigit(written, 60, 90);
    expect(measureHandwriting(written, print).fill).toBe('filled');
  });

  it('clears a fold that shows dark only in pieces, light across the rest of the sheet', () => {
    const print = ruledForm();
    const folded = ruledForm();
    addFold(folded, 150);
    expect(measureHandwriting(folded, print)).toMatchObject({ fill: 'empty', inkScore: 0 });
  });

  it('takes a short thin group lying along a box edge for print that did not register, not for a stroke', () => {
    const print = boxGrid();
    const page = boxGrid();
    // an edge drawn heavier over four rows, one cell of it spilling onto the paper inside the box
    for (let y = 61; y < 65; y++) page.cells[y * width + 66] = 130;
    page.cells[62 * width + 67] = 90;
    expect(measureHandwriting(page, print, undefined, 0)).toMatchObject({ fill: 'empty', inkScore: 0 });
    // a digit in the same box is writing
    for (let y = 61; y < 66; y++) for (let x = 67; x < 71; x++) if (y === 61 || y === 65 || x === 67 || x === 70) page.cells[y * width + x] = 130;
    expect(measureHandwriting(page, print, undefined, 0).fill).toBe('filled');
  });

  it('keeps a thin digit one drawn against a box edge', () => {
    // the print as a batch learns it: each edge widened by a cell either side
    const print = boxGrid();
    for (let y = 40; y < 160; y++) for (let x = 40; x < 160; x++) if ([5, 0, 1].includes(x % 6) || [5, 0, 1].includes(y % 6)) print.cells[y * width + x] = 60;
    const page = { width, height, cells: print.cells.slice() };
    // two cells wide and six tall, one column over the widened edge, the other on the paper inside the box
    for (let y = 61; y < 67; y++) for (const x of [67, 68]) page.cells[y * width + x] = 130;
    expect(measureHandwriting(page, print, undefined, 0).fill).toBe('filled');
  });

  it('keeps writing beside such a fold', () => {
    const print = ruledForm();
    const page = ruledForm();
    addFold(page, 150);
    addDigit(page, 60, 140);
    expect(measureHandwriting(page, print).fill).toBe('filled');
  });
});

/** alignSignature as defined: every shift's whole cost on the sparse grid, the first least one kept. */
function alignByEveryCost(page: InkSignature, reference: InkSignature, reach: number): [number, number] {
  let best: [number, number] = [0, 0];
  let bestCost = Infinity;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      let cost = 0;
      for (let y = reach + 1; y < height - reach - 1; y += 2) {
        for (let x = reach + 1; x < width - reach - 1; x += 2) cost += Math.abs((page.cells[y * width + x] ?? 0) - (reference.cells[(y + dy) * width + x + dx] ?? 0));
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = [dx, dy];
      }
    }
  }
  return best;
}

describe('alignSignature', () => {
  it('finds the shift that lays a page on its print, as counting every shift whole does, ties included', () => {
    const print = ruledForm();
    addDigit(print, 60, 70);
    const pages: Array<[InkSignature, number]> = [];
    for (const [dx, dy] of [[0, 0], [1, -2], [-3, 2], [2, 3], [4, -4]] as const) {
      const page = shiftSignature(print, dx, dy);
      addDigit(page, 120, 150);
      pages.push([page, 4]);
      pages.push([page, 2]);
    }
    // a page of ruled lines only: shifts along its lines all cost the same (the first one is kept)
    pages.push([ruledForm(), 3]);
    pages.push([{ width, height, cells: new Uint8Array(width * height) }, 2]);
    for (const [page, reach] of pages) expect(alignSignature(page, print, reach)).toEqual(alignByEveryCost(page, print, reach));
    expect(alignSignature(shiftSignature(print, 2, 3), print, 4)).toEqual([-2, -3]);
  });
});
