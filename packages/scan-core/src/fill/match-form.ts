/**
 * Whether two pages are the same printed form, and how to lay one on the other: the print is on every page of a
 * form, so a page of the same form covers nearly all of a clean leader's ink whatever is written on top; a page of
 * another form covers only what the layouts happen to share. Used by the batch fill decision and the batch turning.
 *
 * x and y keep their usual meaning (cell column and row) here: longer names would only hide the geometry.
 */
import type { InkSignature } from '../shared/types.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { alignSignature, shiftSignature } from './measure-handwriting.ts';

/** Share of a leader's print a page of the same form covers (after registration); other forms cover far less. */
export const SAME_FORM_COVERAGE = 0.82;
/** Cheap first test on the coarse grid: below this the page is certainly another form. */
const COARSE_COVERAGE = 0.55;
/** Signature cells per coarse cell along each side. */
const COARSE_BLOCK = 4;
/** Coarse cells searched either way when registering a page on a leader. */
const COARSE_REACH = 3;
/** Every coarse cell is compared in the coarse search. */
const COARSE_STEP = 1;
/** Signature cells searched either way around the coarse shift. */
const FINE_REACH = 3;
/** Every other cell is compared in the fine search: the widened page is flat within a cell anyway. */
const FINE_STEP = 2;
/** Every cell is compared for the coverage that decides. */
const FULL_STEP = 1;
/** Cells either way the least-difference registration may move the covering shift. */
const ALIGN_REACH = 2;

/** A signature's views for matching: made once per cluster leader, and briefly per page. */
export interface PreparedSignature {
  /** the signature with codes read as paper */
  plain: InkSignature;
  /** `plain` widened by a cell (widenByOneCell): tolerates a cell of misregistration */
  widened: InkSignature;
  /** mean of COARSE_BLOCK × COARSE_BLOCK cells of `plain` */
  coarse: InkSignature;
  /** ink of `plain` over the part the coarse grid covers: orders pages from the cleanest */
  ink: number;
}

/** A shift of a page onto a leader and the share of the leader's ink the page covers under it. */
interface Placement {
  dx: number;
  dy: number;
  covered: number;
}

/** Ink of the signature with codes read as paper, over the part the coarse grid covers (PreparedSignature.ink). */
export function inkOf(signature: InkSignature): number {
  const { cells } = signature;
  const usedWidth = Math.floor(signature.width / COARSE_BLOCK) * COARSE_BLOCK;
  const usedHeight = Math.floor(signature.height / COARSE_BLOCK) * COARSE_BLOCK;
  let ink = 0;
  for (let y = 0; y < usedHeight; y++) {
    for (let x = 0, cellIndex = y * signature.width; x < usedWidth; x++, cellIndex++) {
      const value = cells[cellIndex] as number;
      if (value !== MASKED_CELL) ink += value;
    }
  }
  return ink;
}

/**
 * Maximum over the cell and its four neighbours: a cell of misregistration either way, without the diagonal reach
 * that would swallow the inside of small answer boxes.
 */
export function widenByOneCell(signature: InkSignature): Uint8Array {
  const { width, height, cells } = signature;
  const out = new Uint8Array(cells.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const hasAbove = y > 0;
    const hasBelow = y + 1 < height;
    for (let x = 0; x < width; x++) {
      const at = row + x;
      let widest = cells[at] as number;
      if (x > 0 && (cells[at - 1] as number) > widest) widest = cells[at - 1] as number;
      if (x + 1 < width && (cells[at + 1] as number) > widest) widest = cells[at + 1] as number;
      if (hasAbove && (cells[at - width] as number) > widest) widest = cells[at - width] as number;
      if (hasBelow && (cells[at + width] as number) > widest) widest = cells[at + width] as number;
      out[at] = widest;
    }
  }
  return out;
}

/**
 * A signature's views for matching. The coarse grid is made at once; the full-size views (`plain`, `widened`) when
 * first read: most comparisons end at the coarse test (another form), and a page compared with one leader at a time
 * (decideBatchInParts) then costs a single pass over its cells.
 */
export function prepareSignature(signature: InkSignature): PreparedSignature {
  const source = signature.cells;
  const { width: fullWidth, height: fullHeight } = signature;
  const width = Math.floor(fullWidth / COARSE_BLOCK);
  const height = Math.floor(fullHeight / COARSE_BLOCK);
  const sums = new Uint32Array(width * height);
  for (let y = 0; y < height * COARSE_BLOCK; y++) {
    const row = y * fullWidth;
    const coarseRow = ((y / COARSE_BLOCK) | 0) * width;
    for (let coarseX = 0; coarseX < width; coarseX++) {
      const first = row + coarseX * COARSE_BLOCK;
      let block = 0;
      for (let offset = 0; offset < COARSE_BLOCK; offset++) {
        // codes read as paper, as in `plain`
        const value = source[first + offset] as number;
        if (value !== MASKED_CELL) block += value;
      }
      sums[coarseRow + coarseX] = (sums[coarseRow + coarseX] as number) + block;
    }
  }
  const coarseCells = new Uint8Array(width * height);
  for (let coarseIndex = 0; coarseIndex < sums.length; coarseIndex++) {
    coarseCells[coarseIndex] = Math.min(MASKED_CELL - 1, Math.round((sums[coarseIndex] as number) / (COARSE_BLOCK * COARSE_BLOCK)));
  }
  let plain: InkSignature | undefined;
  let widened: InkSignature | undefined;
  // the source cells are held only until `plain` is made from them
  let unread: Uint8Array | undefined = source;
  const plainView = (): InkSignature => {
    if (plain === undefined) {
      const cells = unread ?? new Uint8Array(0);
      const plainCells = new Uint8Array(cells.length);
      for (let cellIndex = 0; cellIndex < cells.length; cellIndex++) {
        const value = cells[cellIndex] as number;
        plainCells[cellIndex] = value === MASKED_CELL ? 0 : value;
      }
      plain = { width: fullWidth, height: fullHeight, cells: plainCells };
      unread = undefined;
    }
    return plain;
  };
  return {
    get plain() {
      return plainView();
    },
    get widened() {
      widened ??= { width: fullWidth, height: fullHeight, cells: widenByOneCell(plainView()) };
      return widened;
    },
    coarse: { width, height, cells: coarseCells },
    // from the cells already read: a packed signature unpacks on every read of `cells`
    ink: inkOf({ width: fullWidth, height: fullHeight, cells: source }),
  };
}

/**
 * A leader's inked cells in row order, on one lattice of every `step`-th row and column: their columns, their
 * places in the grid, their ink, the running sum of that ink, and where each grid row's cells begin (`rowStart[y]`
 * is the first cell on row y or below), so a shift's rows are a range and its columns are cut per row.
 */
interface InkedCells {
  xs: Uint16Array;
  places: Int32Array;
  ink: Uint8Array;
  /** inkBefore[i] = ink of cells 0 … i − 1 */
  inkBefore: Float64Array;
  rowStart: Int32Array;
  count: number;
}

/**
 * Per leader view (a leader is compared with many pages) and step, its inked cells on each of the step × step
 * lattices, made when first needed and dropped with the view: a leader's print is mostly paper, so coverage visits
 * only these.
 */
const inkedCellsOf = new WeakMap<InkSignature, Map<number, InkedCells[]>>();

function inkedCells(signature: InkSignature, step: number, phaseX: number, phaseY: number): InkedCells {
  let bySteps = inkedCellsOf.get(signature);
  if (bySteps === undefined) {
    bySteps = new Map();
    inkedCellsOf.set(signature, bySteps);
  }
  let lattices = bySteps.get(step);
  if (lattices === undefined) {
    lattices = [];
    bySteps.set(step, lattices);
  }
  const key = phaseY * step + phaseX;
  const known = lattices[key];
  if (known !== undefined) return known;
  const { width, height, cells } = signature;
  let count = 0;
  for (let y = phaseY; y < height; y += step) {
    for (let x = phaseX; x < width; x += step) if ((cells[y * width + x] as number) !== 0) count++;
  }
  const inked: InkedCells = {
    xs: new Uint16Array(count),
    places: new Int32Array(count),
    ink: new Uint8Array(count),
    inkBefore: new Float64Array(count + 1),
    rowStart: new Int32Array(height + 1),
    count,
  };
  let at = 0;
  for (let y = 0; y < height; y++) {
    inked.rowStart[y] = at;
    if (y < phaseY || (y - phaseY) % step !== 0) continue;
    for (let x = phaseX; x < width; x += step) {
      const value = cells[y * width + x] as number;
      if (value === 0) continue;
      inked.xs[at] = x;
      inked.places[at] = y * width + x;
      inked.ink[at] = value;
      inked.inkBefore[at + 1] = (inked.inkBefore[at] as number) + value;
      at++;
    }
  }
  inked.rowStart[height] = at;
  return (lattices[key] = inked);
}

/** Per grid row, the range of a leader's inked cells a shift keeps inside both grids (coverage), kept between calls. */
let keptRanges = new Int32Array(0);

/**
 * How much of `leader`'s ink `page` covers when shifted by (dx, dy) — page cell (x, y) onto leader (x + dx, y + dy),
 * comparing every `step`-th cell (counted from the first row and column the shift leaves inside both). The sums are
 * of whole numbers, so visiting the cells row by row, each row cut to the columns inside, changes nothing. With
 * `above`, the count stops as soon as the share cannot come out above it (all the leader's ink still to visit
 * covered would not be enough), and the result is then -1: a best shift (bestShift) only wants shares above the best
 * so far. Whole numbers again, so that test is exact.
 */
function coverage(page: InkSignature, leader: InkSignature, dx: number, dy: number, step: number, above = Number.NEGATIVE_INFINITY): number {
  const { width, height } = leader;
  const pageCells = page.cells;
  const firstY = Math.max(0, dy);
  const endY = Math.min(height, height + dy);
  const firstX = Math.max(0, dx);
  const endX = Math.min(width, width + dx);
  const { xs, places, ink, inkBefore, rowStart } = inkedCells(leader, step, firstX % step, firstY % step);
  const offset = dy * width + dx;
  if (keptRanges.length < 2 * height) keptRanges = new Int32Array(2 * height);
  const ranges = keptRanges;
  let total = 0;
  for (let y = firstY; y < endY; y += step) {
    let from = rowStart[y] as number;
    let to = rowStart[y + 1] as number;
    while (from < to && (xs[from] as number) < firstX) from++;
    while (to > from && (xs[to - 1] as number) >= endX) to--;
    ranges[2 * y] = from;
    ranges[2 * y + 1] = to;
    total += (inkBefore[to] as number) - (inkBefore[from] as number);
  }
  if (total <= 0) return 0;
  let covered = 0;
  let unvisited = total;
  for (let y = firstY; y < endY; y += step) {
    const from = ranges[2 * y] as number;
    const to = ranges[2 * y + 1] as number;
    for (let at = from; at < to; at++) {
      const leaderInk = ink[at] as number;
      const pageInk = pageCells[(places[at] as number) - offset] as number;
      covered += pageInk < leaderInk ? pageInk : leaderInk;
    }
    unvisited -= (inkBefore[to] as number) - (inkBefore[from] as number);
    if ((covered + unvisited) / total <= above) return -1;
  }
  return covered / total;
}

/** The shift within `reach` of (centreDx, centreDy) under which `page` covers most of `leader`. */
function bestShift(page: InkSignature, leader: InkSignature, centreDx: number, centreDy: number, reach: number, step: number): Placement {
  let best: Placement = { dx: centreDx, dy: centreDy, covered: -1 };
  for (let dy = centreDy - reach; dy <= centreDy + reach; dy++) {
    for (let dx = centreDx - reach; dx <= centreDx + reach; dx++) {
      const covered = coverage(page, leader, dx, dy, step, best.covered);
      if (covered > best.covered) best = { dx, dy, covered };
    }
  }
  return best;
}

/**
 * Places `page` on `leader`, coarse grid first, then cell by cell: the shift and the share of the leader's print the
 * widened page covers; null when the grids differ or the coarse test already says another form.
 */
function placeOnLeader(page: PreparedSignature, leader: PreparedSignature): Placement | null {
  if (page.coarse.width !== leader.coarse.width || page.coarse.height !== leader.coarse.height) return null;
  const rough = bestShift(page.coarse, leader.coarse, 0, 0, COARSE_REACH, COARSE_STEP);
  if (rough.covered < COARSE_COVERAGE) return null;
  const near = bestShift(page.widened, leader.plain, rough.dx * COARSE_BLOCK, rough.dy * COARSE_BLOCK, FINE_REACH, FINE_STEP);
  return { dx: near.dx, dy: near.dy, covered: coverage(page.widened, leader.plain, near.dx, near.dy, FULL_STEP) };
}

/** The share of `leader`'s print `page` covers at its best placement; 0 when it is plainly another form. */
export function formCoverage(page: PreparedSignature, leader: PreparedSignature): number {
  return placeOnLeader(page, leader)?.covered ?? 0;
}

/** Whether `page` is the same form as `leader`: matchForm's test, without the registration it then does. */
export function isSameForm(page: PreparedSignature, leader: PreparedSignature): boolean {
  const placed = placeOnLeader(page, leader);
  return placed !== null && placed.covered >= SAME_FORM_COVERAGE;
}

/** Registers `page` on `leader`; returns the shift when they are the same form, else null. */
export function matchForm(page: PreparedSignature, leader: PreparedSignature): [number, number] | null {
  const placed = placeOnLeader(page, leader);
  if (placed === null || placed.covered < SAME_FORM_COVERAGE) return null;
  // coverage by the widened page is flat within a cell; registration itself is by least difference, which is sharp
  const [fineDx, fineDy] = alignSignature(shiftSignature(page.plain, placed.dx, placed.dy), leader.plain, ALIGN_REACH);
  return [placed.dx + fineDx, placed.dy + fineDy];
}
