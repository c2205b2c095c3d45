import { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from '../shared/diagnostics.ts';
import { turnImageHash } from '../image/turn-image-hash.ts';
import type { FillTemplate, InkSignature, PageAnalysis, Rotation, TurnAlternative } from '../shared/types.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { alignSignature, measureHandwriting, shiftSignature } from './measure-handwriting.ts';
import type { HandwritingMeasure } from './measure-handwriting.ts';

export interface FinaliseFillOptions {
  /** a registered template of the printed form: when given, every page is judged against it */
  template?: FillTemplate;
  /** called per judged page with what was compared, for inspection tools */
  inspect?: (index: number, aligned: InkSignature, print: InkSignature, residual: Uint8Array) => void;
}

/** Share of a leader's print a page of the same form covers (after registration); other forms cover far less. */
const SAME_FORM_COVERAGE = 0.82;
/** How much better a page must match turned by 180° before the batch turns it. */
const FLIP_MARGIN = 0.08;
/** Cheap first test on the coarse grid: below this the page is certainly another form. */
const COARSE_COVERAGE = 0.55;
/**
 * The print estimate is this quantile of a cell over the least-inked half of a form's pages: print is on all of
 * them, handwriting on few of them; the median keeps print that some scans render faintly (light rules).
 */
const PRINT_QUANTILE = 0.5;
const PRINT_QUANTILE_MANY = 0.25;
const MANY_REFERENCE_PAGES = 12;
/** A cell masked (a code) on this share of a form's pages is not evidence on any of them. */
const SHARED_MASK_SHARE = 0.08;
/** Enough pages to learn a form from; more only cost time. */
const MAX_REFERENCE_PAGES = 48;
const COARSE = 4;

interface Prepared {
  /** the signature with codes read as paper */
  plain: InkSignature;
  /** 3×3 maximum of `plain`: tolerates a cell of misregistration */
  widened: InkSignature;
  coarse: InkSignature;
  ink: number;
}

/** Ink of the signature with codes read as paper, over the part the coarse grid covers (prepare()'s `ink`). */
function inkOf(signature: InkSignature): number {
  const { cells } = signature;
  const usedWidth = Math.floor(signature.width / COARSE) * COARSE;
  const usedHeight = Math.floor(signature.height / COARSE) * COARSE;
  let ink = 0;
  for (let y = 0; y < usedHeight; y++) {
    for (let x = 0, i = y * signature.width; x < usedWidth; x++, i++) {
      const v = cells[i] as number;
      if (v !== MASKED_CELL) ink += v;
    }
  }
  return ink;
}

function prepare(signature: InkSignature): Prepared {
  const source = signature.cells;
  const plainCells = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i] as number;
    plainCells[i] = v === MASKED_CELL ? 0 : v;
  }
  const plain = { width: signature.width, height: signature.height, cells: plainCells };
  const width = Math.floor(signature.width / COARSE);
  const height = Math.floor(signature.height / COARSE);
  const sums = new Uint32Array(width * height);
  for (let y = 0; y < height * COARSE; y++) {
    const row = y * signature.width;
    const out = ((y / COARSE) | 0) * width;
    for (let cx = 0; cx < width; cx++) {
      const i = row + cx * COARSE;
      let block = 0;
      for (let k = 0; k < COARSE; k++) block += plainCells[i + k] as number;
      sums[out + cx] = (sums[out + cx] as number) + block;
    }
  }
  const coarseCells = new Uint8Array(width * height);
  for (let i = 0; i < sums.length; i++) coarseCells[i] = Math.min(254, Math.round((sums[i] as number) / (COARSE * COARSE)));
  return { plain, widened: { width: signature.width, height: signature.height, cells: dilate(plain) }, coarse: { width, height, cells: coarseCells }, ink: inkOf(signature) };
}

/**
 * How much of `leader`'s ink `page` covers when shifted by (dx, dy) — page cell (x, y) onto leader (x + dx, y + dy).
 * Print is on every page of a form, so a page of the same form covers nearly all of a clean leader's ink, whatever
 * it has written on top; a page of another form covers only what the layouts happen to share.
 */
function coverage(page: InkSignature, leader: InkSignature, dx: number, dy: number, step: number): number {
  let num = 0;
  let den = 0;
  const { width, height } = leader;
  const lc = leader.cells;
  const pc = page.cells;
  const y0 = Math.max(0, dy);
  const y1 = Math.min(height, height + dy);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(width, width + dx);
  const offset = dy * width + dx;
  for (let y = y0; y < y1; y += step) {
    const row = y * width;
    for (let i = row + x0, end = row + x1; i < end; i += step) {
      const l = lc[i] as number;
      if (l === 0) continue;
      const p = pc[i - offset] as number;
      num += p < l ? p : l;
      den += l;
    }
  }
  return den > 0 ? num / den : 0;
}

function bestShift(page: InkSignature, leader: InkSignature, cx: number, cy: number, reach: number, step: number): { dx: number; dy: number; c: number } {
  let best = { dx: cx, dy: cy, c: -1 };
  for (let dy = cy - reach; dy <= cy + reach; dy++) {
    for (let dx = cx - reach; dx <= cx + reach; dx++) {
      const c = coverage(page, leader, dx, dy, step);
      if (c > best.c) best = { dx, dy, c };
    }
  }
  return best;
}

/** Registers `page` on `leader`; returns the shift when they are the same form, else null. */
function matchForm(page: Prepared, leader: Prepared): [number, number] | null {
  if (page.coarse.width !== leader.coarse.width || page.coarse.height !== leader.coarse.height) return null;
  const rough = bestShift(page.coarse, leader.coarse, 0, 0, 3, 1);
  if (rough.c < COARSE_COVERAGE) return null;
  const near = bestShift(page.widened, leader.plain, rough.dx * COARSE, rough.dy * COARSE, 3, 2);
  if (coverage(page.widened, leader.plain, near.dx, near.dy, 1) < SAME_FORM_COVERAGE) return null;
  // coverage by the widened page is flat within a cell; registration itself is by least difference, which is sharp
  const [fx, fy] = alignSignature(shiftSignature(page.plain, near.dx, near.dy), leader.plain, 2);
  return [near.dx + fx, near.dy + fy];
}

/** Maximum over the cell and its four neighbours: a cell of misregistration either way, without the diagonal reach
 * that would swallow the inside of small answer boxes. */
function dilate(signature: InkSignature): Uint8Array {
  const { width, height, cells } = signature;
  const out = new Uint8Array(cells.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx !== 0 && dy !== 0)) continue;
          const v = cells[yy * width + xx] as number;
          if (v > m) m = v;
        }
      }
      out[y * width + x] = m;
    }
  }
  return out;
}

/** The signature of the page turned by 180°. */
function turnSignature(signature: InkSignature): InkSignature {
  return { width: signature.width, height: signature.height, cells: signature.cells.slice().reverse() };
}

/** The page under the other turns the batch may choose: as analysed (every quarter turn), or else turned by 180°. */
function turnCandidates(page: PageAnalysis): TurnAlternative[] {
  if (page.alternatives !== undefined && page.alternatives.length > 0) return page.alternatives;
  return [{ rotation: ((page.rotation + 180) % 360) as Rotation, inkSignature: turnSignature(page.inkSignature), imageHash: turnImageHash(page.imageHash) }];
}

/**
 * A page the batch showed to lie another way: rotation, signature and hash of that turn. Its upright JPEG, if any,
 * is dropped (it shows the page the old way); the caller re-creates it by turning by the difference of the two
 * rotations (turnJpeg with (new − old) / 90 quarter turns).
 */
function turnPage(page: PageAnalysis, to: TurnAlternative): PageAnalysis {
  const { uprightJpeg: _stale, ...rest } = page;
  return {
    ...rest,
    rotation: to.rotation,
    inkSignature: to.inkSignature,
    imageHash: to.imageHash,
    diagnostics: [...page.diagnostics, ROTATION_CORRECTED_BY_BATCH],
  };
}

interface Member {
  index: number;
  /** ink of the aligned signature outside code areas: orders the members when the print is learnt */
  ink: number;
  /**
   * The page's signature shifted onto the cluster leader, made when needed: holding it for every page of a large
   * archive would cost 60 KB a page.
   */
  aligned: () => InkSignature;
}

function member(index: number, signature: InkSignature, dx: number, dy: number): Member {
  const aligned = (): InkSignature => shiftSignature(signature, dx, dy);
  return { index, ink: alignedInk(aligned()), aligned };
}

function alignedInk(signature: InkSignature): number {
  let ink = 0;
  for (const v of signature.cells) if (v !== MASKED_CELL) ink += v;
  return ink;
}

/** The print of one form: a low quantile per cell over aligned pages, and cells that are not evidence on any page. */
function learnForm(members: Member[]): { print: InkSignature; ignore: Uint8Array } {
  if (members.length === 0) throw new Error('empty cluster');
  // the print is learnt from the least-inked pages: where most participants write in the same boxes, the emptier
  // pages still show those boxes blank
  const share = 0.5;
  const sorted = [...members].sort((a, b) => a.ink - b.ink);
  const pool = sorted.slice(0, Math.max(Math.min(sorted.length, 3), Math.ceil(sorted.length * share)));
  const step = Math.max(1, Math.ceil(pool.length / MAX_REFERENCE_PAGES));
  const reference = pool.filter((_, i) => i % step === 0).map((m) => m.aligned());
  const first = reference[0];
  if (first === undefined) throw new Error('empty cluster');
  const { width, height } = first;
  const n = reference.length;
  // with few pages the median; with many a lower quantile, still stable, that keeps handwriting out of the print
  const k = Math.floor((n - 1) * (n >= MANY_REFERENCE_PAGES ? PRINT_QUANTILE_MANY : PRINT_QUANTILE));
  const print = new Uint8Array(width * height);
  const ignore = new Uint8Array(width * height);
  const values = new Uint8Array(n);
  // each page's print is widened by a cell before taking the quantile: print lands on the cell grid at a different
  // sub-cell phase on every scan, and the envelope covers all phases
  const envelopes = reference.map((aligned) => dilate(aligned));
  for (let i = 0; i < width * height; i++) {
    let masked = 0;
    for (let p = 0; p < n; p++) {
      if ((reference[p]?.cells[i] ?? 0) >= 200) masked++;
      values[p] = envelopes[p]?.[i] ?? 0;
    }
    values.sort();
    print[i] = values[k] ?? 0;
    if (masked >= Math.max(2, n * SHARED_MASK_SHARE)) ignore[i] = 1;
  }
  // codes vary in size from blank to blank: widen the shared code area so a longer code is covered too
  const once = dilate({ width, height, cells: ignore });
  const widenedIgnore = dilate({ width, height, cells: once });
  return { print: { width, height, cells: print }, ignore: widenedIgnore };
}

/**
 * A judge for pages against a registered template: its signature is a print estimate as learnFillTemplate makes it
 * (already widened by a cell); its code areas (MASKED_CELL) are not evidence.
 */
export function judgeAgainstTemplate(template: InkSignature): (page: InkSignature) => HandwritingMeasure | null {
  const print = { ...template, cells: template.cells.map((v) => (v === MASKED_CELL ? 0 : v)) };
  const ignore = dilate({ ...template, cells: template.cells.map((v) => (v === MASKED_CELL ? 1 : 0)) });
  return (page) => {
    if (page.width !== template.width || page.height !== template.height) return null;
    // `cells` read once: a stored signature unpacks on every read, and the alignment reads cells in a loop
    const own = { width: page.width, height: page.height, cells: page.cells };
    const [dx, dy] = alignSignature(own, print, 6);
    return measureHandwriting(shiftSignature(own, dx, dy), print, ignore, 0);
  };
}

/**
 * Learns a template of one blank type from a few scans of it (ideally empty ones): the pages are registered on the
 * least-inked one and the print is estimated as in a batch. Register the result to judge later pages against it.
 */
export function learnFillTemplate(pages: readonly PageAnalysis[]): FillTemplate | null {
  const prepared = pages.map((p) => prepare(p.inkSignature));
  const order = pages.map((_, i) => i).sort((a, b) => (prepared[a]?.ink ?? 0) - (prepared[b]?.ink ?? 0));
  const leaderIndex = order[0];
  const leader = leaderIndex === undefined ? undefined : prepared[leaderIndex];
  if (leaderIndex === undefined || leader === undefined) return null;
  const members: Member[] = [];
  for (const index of order) {
    const page = pages[index];
    const mine = prepared[index];
    if (page === undefined || mine === undefined) continue;
    const shift = index === leaderIndex ? [0, 0] : matchForm(mine, leader);
    if (shift !== null) members.push(member(index, page.inkSignature, shift[0] ?? 0, shift[1] ?? 0));
  }
  const form = learnForm(members);
  const cells = form.print.cells.map((v, i) => ((form.ignore[i] ?? 0) === 1 ? MASKED_CELL : Math.min(v, MASKED_CELL - 1)));
  return { signature: { ...form.print, cells } };
}

/** Pages of one form whose codes were read, at least this many, before the batch judges how the form prints it. */
const SIDEWAYS_MIN_PAGES = 4;
/** Share of them whose words run across the code: then the form prints its code sideways to its text. */
const SIDEWAYS_MIN_SHARE = 0.75;

/**
 * Forms that print their blank-number code sideways to the text: a read code gives each page its way up, and on
 * such a form every page comes out a quarter turn off, consistently (so the pages still group by their print). One
 * page's words can be misjudged; most pages of a form agreeing that their words run across the code cannot, so the
 * whole form is turned by the quarter turn its pages' words agree on (rotation_corrected_by_batch). Fewer pages, or
 * a split vote, and the codes' way up stands.
 */
function turnSidewaysForms(pages: readonly PageAnalysis[]): PageAnalysis[] {
  const fromCode = pages.map((page, index) => ({ page, index })).filter(({ page }) => !page.diagnostics.includes(ORIENTATION_FROM_CONTENT));
  if (!fromCode.some(({ page }) => page.diagnostics.includes(ORIENTATION_CONTENT_DISAGREES))) return [...pages];
  const forms: Array<{ leader: Prepared; members: number[] }> = [];
  for (const { page, index } of fromCode) {
    const mine = prepare(page.inkSignature);
    const form = forms.find(({ leader }) => matchForm(mine, leader) !== null);
    if (form === undefined) forms.push({ leader: mine, members: [index] });
    else form.members.push(index);
  }
  const out = [...pages];
  for (const { members } of forms) {
    if (members.length < SIDEWAYS_MIN_PAGES) continue;
    const across = members.filter((index) => out[index]?.diagnostics.includes(ORIENTATION_CONTENT_DISAGREES));
    if (across.length < members.length * SIDEWAYS_MIN_SHARE) continue;
    // which quarter turn: the one most of these pages' words point to
    const votes = new Map<number, number>();
    for (const index of across) {
      const page = out[index];
      if (page?.contentRotation === undefined) continue;
      const offset = (page.contentRotation - page.rotation + 360) % 360;
      if (offset === 90 || offset === 270) votes.set(offset, (votes.get(offset) ?? 0) + 1);
    }
    const [offset] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (offset === undefined) continue;
    for (const index of members) {
      const page = out[index];
      const to = page?.alternatives?.find((turn) => turn.rotation === (page.rotation + offset) % 360);
      if (page !== undefined && to !== undefined) out[index] = turnPage(page, to);
    }
  }
  return out;
}

/**
 * Decides filled / empty for a batch of pages, and turns pages whose way up came from their content alone when
 * they match their blank type only upside down (diagnostic 'rotation_corrected_by_batch'). With a registered template, each page is compared with it. Without
 * one, pages are grouped by their print (blank types), each group's print is learnt from its pages — print is on
 * every page, handwriting differs — and each page's handwriting is the ink the print does not explain. A page that
 * is alone of its kind keeps its provisional call, which never says 'empty' for a page with ink.
 */
export function finaliseFill(batch: PageAnalysis[], options: FinaliseFillOptions = {}): PageAnalysis[] {
  const pages = turnSidewaysForms(batch);
  const template = options.template?.signature;
  if (template !== undefined) {
    const judge = judgeAgainstTemplate(template);
    return pages.map((page) => {
      const measure = judge(page.inkSignature);
      return measure === null ? page : { ...page, fill: measure.fill, inkScore: measure.inkScore };
    });
  }
  // Only cluster leaders keep their prepared views: every other page's are made, used and dropped in turn, and a
  // member keeps only its shift, so memory does not grow by the views of every page of a large archive.
  const inks = pages.map((p) => inkOf(p.inkSignature));
  // pages whose way up a barcode confirmed come first, and among them the cleanest lead: an empty blank is pure
  // print, the best reference a form can have
  const byInk = (a: number, b: number): number => (inks[a] ?? 0) - (inks[b] ?? 0);
  const fromContent = (i: number): boolean => pages[i]?.diagnostics.includes(ORIENTATION_FROM_CONTENT) ?? false;
  const indices = pages.map((_, i) => i);
  const order = [...indices.filter((i) => !fromContent(i)).sort(byInk), ...indices.filter(fromContent).sort(byInk)];
  const clusters: Array<{ leader: Prepared; members: Member[] }> = [];
  const turned = new Map<number, TurnAlternative>();
  const join = (index: number, signature: InkSignature, mine: Prepared): boolean => {
    for (const cluster of clusters) {
      const shift = matchForm(mine, cluster.leader);
      if (shift === null) continue;
      cluster.members.push(member(index, signature, shift[0], shift[1]));
      return true;
    }
    return false;
  };
  /** The best fine coverage of any leader's print by this page. */
  const bestCoverage = (mine: Prepared): number => {
    let best = 0;
    for (const { leader } of clusters) {
      if (leader.coarse.width !== mine.coarse.width || leader.coarse.height !== mine.coarse.height) continue;
      const rough = bestShift(mine.coarse, leader.coarse, 0, 0, 3, 1);
      if (rough.c < COARSE_COVERAGE) continue;
      const near = bestShift(mine.widened, leader.plain, rough.dx * COARSE, rough.dy * COARSE, 3, 2);
      best = Math.max(best, coverage(mine.widened, leader.plain, near.dx, near.dy, 1));
    }
    return best;
  };
  for (const index of order) {
    const page = pages[index];
    if (page === undefined) continue;
    const mine = prepare(page.inkSignature);
    // a page turned by its content alone may lie another way: turn it when it matches its blank type clearly better
    // under another turn than as it is (pages whose codes were read lead the clusters)
    if (page.diagnostics.includes(ORIENTATION_FROM_CONTENT)) {
      let best: { to: TurnAlternative; prepared: Prepared } | null = null;
      let bar = Math.max(SAME_FORM_COVERAGE, bestCoverage(mine) + FLIP_MARGIN);
      for (const to of turnCandidates(page)) {
        const prepared = prepare(to.inkSignature);
        const covered = bestCoverage(prepared);
        if (covered >= bar) {
          best = { to, prepared };
          bar = covered;
        }
      }
      if (best !== null && join(index, best.to.inkSignature, best.prepared)) {
        turned.set(index, best.to);
        continue;
      }
    }
    if (join(index, page.inkSignature, mine)) continue;
    clusters.push({ leader: mine, members: [member(index, page.inkSignature, 0, 0)] });
  }
  const out = pages.map((page, index) => {
    const to = turned.get(index);
    return to === undefined ? page : turnPage(page, to);
  });
  for (const cluster of clusters) {
    if (cluster.members.length < 2) continue;
    const form = learnForm(cluster.members);
    for (const { index, aligned } of cluster.members) {
      const page = out[index];
      if (page === undefined) continue;
      const signature = aligned();
      const measure = measureHandwriting(signature, form.print, form.ignore, 0);
      options.inspect?.(index, signature, form.print, measure.residual);
      out[index] = { ...page, fill: measure.fill, inkScore: measure.inkScore };
    }
  }
  return out;
}
