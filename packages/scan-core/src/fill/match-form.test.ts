/**
 * The matching of a page to a form leader against a plain reference: every shift of the coarse, fine and full search
 * counted cell by cell, with no shortcut (match-form.ts stops counting a shift once it cannot beat the best, and
 * visits only a leader's inked cells). Synthetic forms: boxes and rules, pages of them moved, written on and noisy.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../fixtures/generator/random.ts';
import type { Random } from '../../fixtures/generator/random.ts';
import type { InkSignature } from '../shared/types.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { SAME_FORM_COVERAGE, formCoverage, matchForm, prepareSignature } from './match-form.ts';
import type { PreparedSignature } from './match-form.ts';
import { alignSignature, shiftSignature } from './measure-handwriting.ts';

const WIDTH = 207;
const HEIGHT = 292;

/** match-form.ts's search, as documented there: coarse grid (4×4 cells) ±3, fine ±3 every other cell, then every cell. */
const COARSE_BLOCK = 4;
const COARSE_REACH = 3;
const COARSE_COVERAGE = 0.55;
const FINE_REACH = 3;
const FINE_STEP = 2;
const ALIGN_REACH = 2;

/** A form's print: boxes, rules and a block of text-like strokes, placed by `random`. */
function drawForm(random: Random): Uint8Array {
  const cells = new Uint8Array(WIDTH * HEIGHT);
  const put = (x: number, y: number, value: number): void => {
    if (x >= 0 && y >= 0 && x < WIDTH && y < HEIGHT) cells[y * WIDTH + x] = Math.max(cells[y * WIDTH + x] ?? 0, value);
  };
  for (let box = 0; box < 40; box++) {
    const x0 = random.int(5, WIDTH - 20);
    const y0 = random.int(5, HEIGHT - 20);
    const size = random.int(4, 12);
    const ink = random.int(60, 220);
    for (let t = 0; t <= size; t++) {
      put(x0 + t, y0, ink);
      put(x0 + t, y0 + size, ink);
      put(x0, y0 + t, ink);
      put(x0 + size, y0 + t, ink);
    }
  }
  for (let rule = 0; rule < 8; rule++) {
    const y = random.int(5, HEIGHT - 5);
    for (let x = random.int(5, 40); x < random.int(120, WIDTH - 5); x++) put(x, y, random.int(80, 160));
  }
  return cells;
}

/** A scan of `form`: moved by (dx, dy) cells, some handwriting, a little noise, sometimes a code area. */
function scanOf(form: Uint8Array, random: Random, dx: number, dy: number): InkSignature {
  const moved = shiftSignature({ width: WIDTH, height: HEIGHT, cells: form }, dx, dy).cells;
  for (let stroke = random.int(0, 6); stroke > 0; stroke--) {
    const x0 = random.int(10, WIDTH - 30);
    const y0 = random.int(10, HEIGHT - 10);
    for (let x = x0; x < x0 + random.int(5, 25); x++) moved[y0 * WIDTH + x] = random.int(90, 250);
  }
  for (let speck = 0; speck < 300; speck++) moved[random.int(0, moved.length - 1)] = random.int(1, 40);
  if (random.chance(0.3)) {
    for (let y = 10; y < 30; y++) moved.fill(MASKED_CELL, y * WIDTH + 150, y * WIDTH + 200);
  }
  return { width: WIDTH, height: HEIGHT, cells: moved };
}

/** Share of `leader`'s ink that `page` covers shifted by (dx, dy), on every `step`-th cell from the first inside both. */
function referenceCoverage(page: InkSignature, leader: InkSignature, dx: number, dy: number, step: number): number {
  const { width, height } = leader;
  const firstY = Math.max(0, dy);
  const firstX = Math.max(0, dx);
  let covered = 0;
  let total = 0;
  for (let y = firstY; y < Math.min(height, height + dy); y += step) {
    for (let x = firstX; x < Math.min(width, width + dx); x += step) {
      const leaderInk = leader.cells[y * width + x] ?? 0;
      const pageInk = page.cells[(y - dy) * width + (x - dx)] ?? 0;
      covered += Math.min(leaderInk, pageInk);
      total += leaderInk;
    }
  }
  return total > 0 ? covered / total : 0;
}

function referenceBest(page: InkSignature, leader: InkSignature, centreDx: number, centreDy: number, reach: number, step: number): { dx: number; dy: number; covered: number } {
  let best = { dx: centreDx, dy: centreDy, covered: -1 };
  for (let dy = centreDy - reach; dy <= centreDy + reach; dy++) {
    for (let dx = centreDx - reach; dx <= centreDx + reach; dx++) {
      const covered = referenceCoverage(page, leader, dx, dy, step);
      if (covered > best.covered) best = { dx, dy, covered };
    }
  }
  return best;
}

/** The placement and coverage, then the match, as match-form.ts documents them, without its shortcuts. */
function referenceMatch(page: PreparedSignature, leader: PreparedSignature): { covered: number; shift: [number, number] | null } {
  const rough = referenceBest(page.coarse, leader.coarse, 0, 0, COARSE_REACH, 1);
  if (rough.covered < COARSE_COVERAGE) return { covered: 0, shift: null };
  const near = referenceBest(page.widened, leader.plain, rough.dx * COARSE_BLOCK, rough.dy * COARSE_BLOCK, FINE_REACH, FINE_STEP);
  const covered = referenceCoverage(page.widened, leader.plain, near.dx, near.dy, 1);
  if (covered < SAME_FORM_COVERAGE) return { covered, shift: null };
  const [fineDx, fineDy] = alignSignature(shiftSignature(page.plain, near.dx, near.dy), leader.plain, ALIGN_REACH);
  return { covered, shift: [near.dx + fineDx, near.dy + fineDy] };
}

describe('matchForm', () => {
  it('places and matches pages exactly as counting every shift cell by cell does, same form or not', () => {
    const random = createRandom(4242);
    const forms = [drawForm(random), drawForm(random), drawForm(random)];
    const leaders = forms.map((form) => scanOf(form, random, 0, 0));
    let same = 0;
    let other = 0;
    for (let index = 0; index < 36; index++) {
      const form = forms[index % forms.length] as Uint8Array;
      const page = scanOf(form, random, random.int(-14, 14), random.int(-14, 14));
      for (const [leaderIndex, leader] of leaders.entries()) {
        const reference = referenceMatch(prepareSignature(page), prepareSignature(leader));
        expect(formCoverage(prepareSignature(page), prepareSignature(leader)), `page ${index}, leader ${leaderIndex}`).toBe(reference.covered);
        expect(matchForm(prepareSignature(page), prepareSignature(leader)), `page ${index}, leader ${leaderIndex}`).toEqual(reference.shift);
        if (reference.shift !== null) same++;
        else other++;
      }
    }
    // both kinds were met: the pages of a leader's form match it, the others do not
    expect(same).toBeGreaterThanOrEqual(30);
    expect(other).toBeGreaterThanOrEqual(60);
  });
});
