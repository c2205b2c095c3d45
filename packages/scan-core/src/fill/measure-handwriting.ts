import { nthSmallest } from '../shared/nth-smallest.ts';
import type { FillState, InkSignature } from '../shared/types.ts';

/** A cell counts as handwriting when it is this much darker (of 255) than the print expected there. */
export const INK_CELL_THRESHOLD = 30;
/** Over print, the threshold rises with the print's darkness. */
const RELATIVE = 0.25;
/** Cells of handwriting needed to call a page filled: one digit gives about 6–15. Kept low: filled-called-empty costs most. */
export const FILLED_MIN_CELLS = 3;
/** Outer band ignored: scanner borders, punched holes, staples live there, not answers. */
const MARGIN = 0.035;
const SOLID = 200;

export interface HandwritingMeasure {
  fill: FillState;
  /** cells of ink not explained by the print */
  inkScore: number;
  /** 1 where a cell is darker than the print explains (before the stroke-shape filter): for inspection */
  residual: Uint8Array;
}

/**
 * Best translation (in cells) of `page` onto `reference`, by least absolute difference on a sparse grid: page cell
 * (x, y) matches reference cell (x + dx, y + dy), so `shiftSignature(page, dx, dy)` lies on the reference.
 */
export function alignSignature(page: InkSignature, reference: InkSignature, reach = 4): [number, number] {
  const pageCells = page.cells;
  const referenceCells = reference.cells;
  const { width, height } = page;
  let best: [number, number] = [0, 0];
  let bestCost = Infinity;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      let cost = 0;
      const shift = dy * width + dx;
      // whole numbers that only grow: once a shift costs as much as the best so far it cannot replace it (the first
      // of equal costs is kept), so its remaining rows are not added up
      for (let y = reach + 1; y < height - reach - 1 && cost < bestCost; y += 2) {
        const end = y * width + width - reach - 1;
        for (let at = y * width + reach + 1; at < end; at += 2) {
          const a = pageCells[at] ?? 0;
          const b = referenceCells[at + shift] ?? 0;
          cost += a > b ? a - b : b - a;
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = [dx, dy];
      }
    }
  }
  return best;
}

/** Shifts a signature so that cell (x, y) takes the value of (x - dx, y - dy). */
export function shiftSignature(signature: InkSignature, dx: number, dy: number): InkSignature {
  const { width, height } = signature;
  // read once: a packed signature (scanArchive keeps them deflated) unpacks on every read of `cells`
  const source = signature.cells;
  const cells = new Uint8Array(width * height);
  // the columns that stay on the grid, copied row by row
  const firstX = Math.max(0, dx);
  const endX = Math.min(width, width + dx);
  if (endX <= firstX) return { width, height, cells };
  for (let y = 0; y < height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= height) continue;
    cells.set(source.subarray(sy * width + firstX - dx, sy * width + endX - dx), y * width + firstX);
  }
  return { width, height, cells };
}

/** A straight run of residual this long (a quarter of the sheet), one or two cells thick, is a fold, a crease or a
 * scanner streak: a written word, even a long one in small writing, is shorter. */
const LINE_MIN_CELLS = 48;
/** Print lighter than this (of 254) counts as bare paper: a residual cell over darker print may be print drawn off. */
const PAPER_EXPECTED = 48;
/** Cells of a stroke group that must lie on bare paper, away from the print (one: a digit in a small box). */
const MIN_PAPER_CELLS = 1;
/** A thin group with this many cells on bare paper is writing (a small word on a rule), not a sliver of print. */
const SMALL_WORD_PAPER_CELLS = 4;
/**
 * A short thin group with at most this many cells on bare paper, and fewer than 1/SLIVER_PRINT_SHARE of its cells
 * there, lies along print (see countStrokeCells); a digit drawn against a box edge reaches further into the box.
 */
const SLIVER_MAX_PAPER_CELLS = 1;
const SLIVER_PRINT_SHARE = 3;

/**
 * Whether the residual cell `i` is at most two cells thick across a run going the other way: its residual
 * neighbours up to two cells off (`stride` apart; `at` is its place along that direction, `limit` the count there).
 */
function isThin(residual: Uint8Array, i: number, stride: number, limit: number, at: number): boolean {
  let n = 1;
  for (let k = 1; k <= 2 && at - k >= 0; k++) if ((residual[i - k * stride] as number) === 1) n++;
  for (let k = 1; k <= 2 && at + k < limit; k++) if ((residual[i + k * stride] as number) === 1) n++;
  return n <= 2;
}

/**
 * Clears long straight runs of residual only one or two cells thick, across and along the page: folds, creases and
 * scanner streaks cross the whole sheet in a straight line, pen strokes do not (a stroke's cells beside such a run
 * stay).
 */
function clearStraightLines(residual: Uint8Array, faint: Uint8Array, width: number, height: number): void {
  // the cells of each long run, cleared only after both directions were searched (isThin reads the neighbours)
  const clear: number[] = [];
  const keepRun = (first: number, length: number, stride: number): void => {
    for (let k = 0; k < length; k++) clear.push(first + k * stride);
  };
  for (let y = 0; y < height; y++) {
    let first = 0;
    let length = 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if ((residual[i] as number) === 1 && isThin(residual, i, width, height, y)) {
        if (length === 0) first = i;
        length++;
      } else if (length > 0) {
        if (length >= LINE_MIN_CELLS) keepRun(first, length, 1);
        length = 0;
      }
    }
    if (length >= LINE_MIN_CELLS) keepRun(first, length, 1);
  }
  for (let x = 0; x < width; x++) {
    let first = 0;
    let length = 0;
    for (let y = 0, i = x; y < height; y++, i += width) {
      if ((residual[i] as number) === 1 && isThin(residual, i, 1, width, x)) {
        if (length === 0) first = i;
        length++;
      } else if (length > 0) {
        if (length >= LINE_MIN_CELLS) keepRun(first, length, width);
        length = 0;
      }
    }
    if (length >= LINE_MIN_CELLS) keepRun(first, length, width);
  }
  for (const i of clear) residual[i] = 0;
  clearFolds(residual, residual, width, height);
  // a fold drawn lightly in places leaves only pieces of it in the residual: found whole in the faint ink
  clearFolds(faint, residual, width, height);
}

/** A fold crosses at least this share of the sheet; a line of writing is taller than a fold is thick. */
const FOLD_MIN_SHARE = 0.45;
const FOLD_SEGMENTS = 8;
const FOLD_MIN_SEGMENTS = 7;
/** Unexplained ink this light (of 254) still shows where a fold runs, though too light to be residual there. */
const FAINT_CELL_THRESHOLD = 10;
/** Offsets across a fold's band, beyond it on either side, that must be clear of evidence. */
const FOLD_OUTSIDE = [-3, -2, 2, 3] as const;

/**
 * Clears folds across the whole sheet: within a band three cells tall (or wide), the cells of `evidence` with
 * nothing two and three cells beyond the band on either side, from `evidence` and from the residual. A fold crosses
 * the print, so it leaves no single straight run; but its cells line up along the band, while writing along a line
 * rises and falls out of it.
 */
function clearFolds(evidence: Uint8Array, residual: Uint8Array, width: number, height: number): void {
  const thin: number[] = [];
  const segments = new Uint8Array(FOLD_SEGMENTS);
  for (const horizontal of [true, false]) {
    const lines = horizontal ? height : width;
    const along = horizontal ? width : height;
    // one step along the band, and one step across it, in the residual's indices
    const stepAlong = horizontal ? 1 : width;
    const stepAcross = horizontal ? width : 1;
    // evidence cells per line, counted before this direction's search: clearing a fold only lowers the counts, so a
    // band with fewer cells than a fold needs cannot hold one (evidence cells are 0 or 1, so they are summed)
    const perLine = new Uint32Array(lines);
    for (let y = 0; y < height; y++) {
      if (horizontal) {
        let count = 0;
        for (let i = y * width, end = i + width; i < end; i++) count += evidence[i] as number;
        perLine[y] = count;
      } else {
        for (let x = 0, i = y * width; x < width; x++, i++) perLine[x] = (perLine[x] as number) + (evidence[i] as number);
      }
    }
    const foldCells = along * FOLD_MIN_SHARE;
    for (let line = 1; line < lines - 1; line++) {
      if ((perLine[line - 1] as number) + (perLine[line] as number) + (perLine[line + 1] as number) < foldCells) continue;
      thin.length = 0;
      const centre = horizontal ? line * width : line;
      for (let t = 0; t < along; t++) {
        const i = centre + t * stepAlong;
        // the band (line - 1 … line + 1) is inside the sheet; cells two and three beyond it may not be
        const near = (evidence[i - stepAcross] as number) + (evidence[i] as number) + (evidence[i + stepAcross] as number);
        if (near === 0) continue;
        let beyond = 0;
        for (const offset of FOLD_OUTSIDE) {
          const across = line + offset;
          if (across >= 0 && across < lines) beyond += evidence[i + offset * stepAcross] as number;
        }
        if (beyond > 0) continue;
        for (let offset = -1; offset <= 1; offset++) if ((evidence[i + offset * stepAcross] as number) === 1) thin.push(i + offset * stepAcross);
      }
      if (thin.length < foldCells) continue;
      // and along the whole sheet: a fold runs edge to edge, a written word or two stays in a few segments
      segments.fill(0);
      let segmentCount = 0;
      for (const i of thin) {
        const segment = Math.floor(((horizontal ? i % width : (i / width) | 0) * FOLD_SEGMENTS) / along);
        if (segments[segment] === 0) segmentCount++;
        segments[segment] = 1;
      }
      if (segmentCount >= FOLD_MIN_SEGMENTS) {
        for (const i of thin) {
          evidence[i] = 0;
          residual[i] = 0;
        }
      }
    }
  }
}

/**
 * Cells in groups that look like pen strokes: at least three touching cells spreading both ways, some of them on
 * bare paper. Single cells, one-cell-thin slivers and groups hugging the print are what misregistered print, specks
 * and folds leave; even one written digit is a blob, and part of it lies inside its box, away from the frame.
 */
function countStrokeCells(residual: Uint8Array, paper: Uint8Array, width: number, height: number): number {
  const seen = new Uint8Array(residual.length);
  const stack: number[] = [];
  let total = 0;
  for (let start = 0; start < residual.length; start++) {
    if ((residual[start] as number) === 0 || (seen[start] as number) === 1) continue;
    seen[start] = 1;
    stack.push(start);
    let size = 0;
    let onPaper = 0;
    let minX = width;
    let maxX = 0;
    let minY = height;
    let maxY = 0;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i / width) | 0;
      size++;
      onPaper += paper[i] as number;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if ((residual[j] as number) === 1 && (seen[j] as number) === 0) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const thin = Math.min(w, h);
    // a sliver along a rule or a frame edge is print drawn heavier than usual; a pen stroke group is rounder, or,
    // when it is a word in small writing along a ruled line, it rises off the rule onto bare paper. A short thin
    // group lying mostly over print is a box edge that did not register, not a stroke
    const long = Math.max(w, h) >= 4 * thin;
    const sliver = thin <= 2 && (long ? onPaper < SMALL_WORD_PAPER_CELLS : onPaper <= SLIVER_MAX_PAPER_CELLS && onPaper * SLIVER_PRINT_SHARE < size);
    if (size >= 3 && w > 1 && h > 1 && !sliver && onPaper >= MIN_PAPER_CELLS) total += size;
  }
  return total;
}

/** Solid cells that make an area this large: a punched hole (6 mm is about 25 cells), a border, a code; not a pen. */
const SOLID_MIN_CELLS = 10;

/**
 * Cells of large solid areas. A dense pen stroke (a loop of a small cursive letter) also fills a cell or two
 * solidly; only areas of many solid cells are holes, borders, blacked-out lids and codes.
 */
function largeSolidAreas(cells: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const area: number[] = [];
  for (let start = 0; start < cells.length; start++) {
    if ((seen[start] as number) === 1 || (cells[start] as number) < SOLID) continue;
    seen[start] = 1;
    stack.push(start);
    area.length = 0;
    const visit = (j: number): void => {
      if ((seen[j] as number) === 1 || (cells[j] as number) < SOLID) return;
      seen[j] = 1;
      stack.push(j);
    };
    while (stack.length > 0) {
      const i = stack.pop() as number;
      area.push(i);
      const x = i % width;
      if (i >= width) visit(i - width);
      if (i + width < cells.length) visit(i + width);
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
    }
    if (area.length >= SOLID_MIN_CELLS) for (const i of area) out[i] = 1;
  }
  return out;
}

/**
 * How much darker this scan renders the print than the reference does (blur, toner, a bilevel scan), as the median
 * ratio over clearly printed cells; 1 when there is too little print to tell.
 */
function printGain(page: InkSignature, print: InkSignature, ignore?: Uint8Array): number {
  const pageCells = page.cells;
  const printCells = print.cells;
  const ratios = new Float64Array(printCells.length);
  let count = 0;
  for (let i = 0; i < printCells.length; i++) {
    const expected = printCells[i] as number;
    const seen = pageCells[i] as number;
    // cells where both have print: the ratio there is how much heavier this scan draws a line
    if (expected < 48 || expected >= 200 || seen < 32 || seen >= 200 || (ignore !== undefined && (ignore[i] as number) === 1)) continue;
    ratios[count++] = seen / expected;
  }
  if (count < 50) return 1;
  const median = nthSmallest(ratios.subarray(0, count), count >> 1);
  // only ever soften: a scan that renders print heavier (blur, bilevel) must not pass its thick print off as
  // handwriting, but a light scan is not amplified, so faint handwriting keeps counting
  return Math.min(2.5, Math.max(1, median));
}

/** The darkest value of each cell's 3 × 3 neighbourhood, for the cells not on the grid's edge (those stay 0). */
function darkestAround(cells: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let i = y * width + 1, end = y * width + width - 1; i < end; i++) {
      let darkest = 0;
      for (let row = i - width; row <= i + width; row += width) {
        for (let at = row - 1; at <= row + 1; at++) if ((cells[at] as number) > darkest) darkest = cells[at] as number;
      }
      out[i] = darkest;
    }
  }
  return out;
}

/**
 * Handwriting = ink the print does not explain. Each page cell is compared with the darkest print value within
 * `tolerance` cells (1 tolerates a cell of misregistration; 0 when `print` is already such an envelope); solid regions (holes, borders, blacked-out scanner lid)
 * and the outer band are ignored; `ignore` marks cells where even the print varies from page to page.
 */
export function measureHandwriting(page: InkSignature, print: InkSignature, ignore?: Uint8Array, tolerance: 0 | 1 = 1): HandwritingMeasure {
  const pageCells = page.cells;
  const printCells = print.cells;
  const { width, height } = page;
  const mx = Math.ceil(width * MARGIN);
  const my = Math.ceil(height * MARGIN);
  const solid = new Uint8Array(width * height);
  const large = largeSolidAreas(pageCells, width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if ((large[i] as number) === 0) continue;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) solid[ny * width + nx] = 1;
      }
    }
  }
  const gain = printGain(page, print, ignore);
  // the print expected at each cell: the darkest within `tolerance` cells
  const expectedCells = tolerance === 0 ? printCells : darkestAround(printCells, width, height);
  const residual = new Uint8Array(width * height);
  // ink the print does not explain, however light: where a fold shows whole
  const faint = new Uint8Array(width * height);
  const paper = new Uint8Array(width * height);
  for (let y = my; y < height - my; y++) {
    for (let i = y * width + mx, end = y * width + width - mx; i < end; i++) {
      if ((solid[i] as number) === 1 || (ignore !== undefined && (ignore[i] as number) === 1)) continue;
      const expected = expectedCells[i] as number;
      if (expected < PAPER_EXPECTED) paper[i] = 1;
      // this scan draws the print `gain` times heavier: expect that much print here, no more (on bare paper the
      // gain changes nothing, so light writing there still counts); over print, darkness varies from scan to scan
      // (toner, blur, bilevel): demand more there
      const printed = expected * gain;
      const unexplained = (pageCells[i] as number) - printed;
      if (unexplained >= INK_CELL_THRESHOLD + printed * RELATIVE) residual[i] = 1;
      if (unexplained >= FAINT_CELL_THRESHOLD) faint[i] = 1;
    }
  }
  clearStraightLines(residual, faint, width, height);
  const score = countStrokeCells(residual, paper, width, height);
  return { fill: score >= FILLED_MIN_CELLS ? 'filled' : 'empty', inkScore: score, residual };
}

/**
 * The provisional call for a page judged alone, without a print to subtract: every inked cell counts (codes and the
 * outer band excepted), so any printed form says 'filled' and only a blank sheet says 'empty'. finaliseFill replaces
 * it once the batch has taught the print; a page alone of its kind keeps it. One pass, no stroke analysis: the
 * answer is the same, and the worker does this for every page.
 */
export function measureAllInk(page: InkSignature): { fill: FillState; inkScore: number } {
  const cells = page.cells;
  const { width, height } = page;
  const mx = Math.ceil(width * MARGIN);
  const my = Math.ceil(height * MARGIN);
  let inked = 0;
  for (let y = my; y < height - my; y++) {
    for (let i = y * width + mx, end = y * width + width - mx; i < end; i++) {
      const v = cells[i] as number;
      if (v >= INK_CELL_THRESHOLD && v < SOLID) inked++;
    }
  }
  return { fill: inked >= FILLED_MIN_CELLS ? 'filled' : 'empty', inkScore: inked };
}
