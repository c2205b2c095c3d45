import type { FillTemplate, InkSignature, PageAnalysis } from '../page/types.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { alignSignature, measureHandwriting, shiftSignature } from './measure-handwriting.ts';

export interface FinaliseFillOptions {
  /** a registered template of the printed form: when given, every page is judged against it */
  template?: FillTemplate;
}

/** Pages of one blank type correlate at least this much on a coarse grid; different forms far less. */
const SAME_FORM_CORRELATION = 0.5;
/** The print estimate is this low quantile of a cell over the batch: print is on every page, handwriting on some. */
const PRINT_QUANTILE = 0.25;
/** A cell masked or solid on this share of a form's pages is not evidence on any of them. */
const SHARED_MASK_SHARE = 0.3;
/** Enough pages to learn a form from; more only cost time. */
const MAX_REFERENCE_PAGES = 48;
const COARSE = 4;

interface Coarse {
  width: number;
  height: number;
  cells: Float32Array;
}

function coarsen(signature: InkSignature): Coarse {
  const width = Math.floor(signature.width / COARSE);
  const height = Math.floor(signature.height / COARSE);
  const cells = new Float32Array(width * height);
  for (let y = 0; y < height * COARSE; y++) {
    for (let x = 0; x < width * COARSE; x++) {
      const v = signature.cells[y * signature.width + x] ?? 0;
      const i = ((y / COARSE) | 0) * width + ((x / COARSE) | 0);
      cells[i] = (cells[i] ?? 0) + (v === MASKED_CELL ? 0 : v);
    }
  }
  return { width, height, cells };
}

/** Best normalised correlation of two coarse signatures over small shifts, and the shift (in coarse cells). */
function correlate(a: Coarse, b: Coarse, reach = 3): { r: number; dx: number; dy: number } {
  let best = { r: -1, dx: 0, dy: 0 };
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      let n = 0;
      for (let y = reach; y < a.height - reach; y++) {
        for (let x = reach; x < a.width - reach; x++) {
          const va = a.cells[y * a.width + x] ?? 0;
          const vb = b.cells[(y + dy) * b.width + x + dx] ?? 0;
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
          n++;
        }
      }
      const cov = sab - (sa * sb) / n;
      const den = Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
      const r = den > 0 ? cov / den : 0;
      if (r > best.r) best = { r, dx, dy };
    }
  }
  return best;
}

/** 3×3 maximum. */
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
          if (xx < 0 || xx >= width) continue;
          const v = cells[yy * width + xx] as number;
          if (v > m) m = v;
        }
      }
      out[y * width + x] = m;
    }
  }
  return out;
}

interface Member {
  index: number;
  /** the page's signature shifted onto the cluster leader */
  aligned: InkSignature;
}

/** The print of one form: a low quantile per cell over aligned pages, and cells that are not evidence on any page. */
function learnForm(members: Member[]): { print: InkSignature; ignore: Uint8Array } {
  const first = members[0];
  if (first === undefined) throw new Error('empty cluster');
  const { width, height } = first.aligned;
  const step = Math.max(1, Math.ceil(members.length / MAX_REFERENCE_PAGES));
  const reference = members.filter((_, i) => i % step === 0);
  const n = reference.length;
  const k = Math.floor((n - 1) * PRINT_QUANTILE);
  const print = new Uint8Array(width * height);
  const ignore = new Uint8Array(width * height);
  const values = new Uint8Array(n);
  // each page's print is widened by a cell before taking the quantile: print lands on the cell grid at a different
  // sub-cell phase on every scan, and the envelope covers all phases
  const envelopes = reference.map((m) => dilate(m.aligned));
  for (let i = 0; i < width * height; i++) {
    let masked = 0;
    for (let p = 0; p < n; p++) {
      if ((reference[p]?.aligned.cells[i] ?? 0) >= 200) masked++;
      values[p] = envelopes[p]?.[i] ?? 0;
    }
    values.sort();
    print[i] = values[k] ?? 0;
    if (masked >= Math.max(1, n * SHARED_MASK_SHARE)) ignore[i] = 1;
  }
  return { print: { width, height, cells: print }, ignore };
}

/**
 * Decides filled / empty for a batch of pages. With a registered template, each page is compared with it. Without
 * one, pages are grouped by their print (blank types), each group's print is learnt from its pages — print is on
 * every page, handwriting differs — and each page's handwriting is the ink the print does not explain. A page that
 * is alone of its kind keeps its provisional call, which never says 'empty' for a page with ink.
 */
export function finaliseFill(pages: PageAnalysis[], options: FinaliseFillOptions = {}): PageAnalysis[] {
  const template = options.template?.signature;
  if (template !== undefined) {
    return pages.map((page) => {
      if (page.inkSignature.width !== template.width || page.inkSignature.height !== template.height) return page;
      const [dx, dy] = alignSignature(page.inkSignature, template);
      const measure = measureHandwriting(shiftSignature(page.inkSignature, dx, dy), template);
      return { ...page, fill: measure.fill, inkScore: measure.inkScore };
    });
  }
  const coarse = pages.map((p) => coarsen(p.inkSignature));
  const clusters: Array<{ leader: number; members: Member[] }> = [];
  pages.forEach((page, index) => {
    const mine = coarse[index];
    if (mine === undefined) return;
    let best: { cluster: number; r: number; dx: number; dy: number } = { cluster: -1, r: SAME_FORM_CORRELATION, dx: 0, dy: 0 };
    clusters.forEach((cluster, c) => {
      const leaderCoarse = coarse[cluster.leader];
      if (leaderCoarse === undefined || leaderCoarse.width !== mine.width || leaderCoarse.height !== mine.height) return;
      const m = correlate(mine, leaderCoarse);
      if (m.r > best.r) best = { cluster: c, r: m.r, dx: m.dx, dy: m.dy };
    });
    const target = clusters[best.cluster];
    if (target === undefined) {
      clusters.push({ leader: index, members: [{ index, aligned: page.inkSignature }] });
      return;
    }
    const leader = pages[target.leader]?.inkSignature;
    if (leader === undefined) return;
    // refine the coarse shift at full resolution
    const [fx, fy] = alignSignature(shiftSignature(page.inkSignature, best.dx * COARSE, best.dy * COARSE), leader, 2);
    const aligned = shiftSignature(page.inkSignature, best.dx * COARSE + fx, best.dy * COARSE + fy);
    target.members.push({ index, aligned });
  });
  const out = pages.slice();
  for (const cluster of clusters) {
    if (cluster.members.length < 2) continue;
    const form = learnForm(cluster.members);
    for (const member of cluster.members) {
      const page = pages[member.index];
      if (page === undefined) continue;
      const measure = measureHandwriting(member.aligned, form.print, form.ignore, 0);
      out[member.index] = { ...page, fill: measure.fill, inkScore: measure.inkScore };
    }
  }
  return out;
}
