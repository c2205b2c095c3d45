/**
 * The batch decision made in a page worker (as scanArchive makes it) is finaliseFill's own, with the signatures
 * handed over packed: some held in memory, the rest read by the worker from the store's unlinked file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barcodeSpec, cleanScan, randomBlankNumber, randomSpec } from '../../fixtures/generator/generate-pages.ts';
import { createRandom } from '../../fixtures/generator/random.ts';
import { renderPage } from '../../fixtures/generator/render-page.ts';
import type { Handwriting } from '../../fixtures/generator/render-page.ts';
import { finaliseFill, planFill } from '../fill/finalise-fill.ts';
import type { FormSlice } from '../fill/finalise-fill.ts';
import { shiftSignature } from '../fill/measure-handwriting.ts';
import { createSignatureStore } from '../fill/signature-store.ts';
import { createPageAnalyser } from '../pool/create-page-analyser.ts';
import type { PageAnalyser } from '../pool/create-page-analyser.ts';
import type { PageAnalysis } from '../shared/types.ts';
import { decideBatch, decideBatchInParts, runBatchPart, shareForms } from './decide-batch.ts';
import type { BatchInput, BatchPage, BatchPart } from './decide-batch.ts';
import { toPageSummary } from './scan-result.ts';
import { ORIENTATION_CONTENT_DISAGREES } from '../shared/diagnostics.ts';
import type { PageSummary } from './scan-result.ts';

/** The cells of a signature mirrored left to right (another blank type for grouping). */
function mirror(cells: Uint8Array, width = 207): Uint8Array {
  const out = new Uint8Array(cells.length);
  for (let at = 0; at < cells.length; at++) out[at] = cells[at - (at % width) + (width - 1 - (at % width))] ?? 0;
  return out;
}

const HANDWRITING: Handwriting[] = ['none', 'none', 'none', 'digit', 'few', 'none', 'dense', 'digit'];

let analyser: PageAnalyser;
const pages: PageAnalysis[] = [];

beforeAll(async () => {
  analyser = createPageAnalyser({ size: 1 });
  const random = createRandom(5150);
  for (const [index, handwriting] of HANDWRITING.entries()) {
    const { spec } = randomSpec(random, 71_000 + index, {
      formId: 1,
      handwriting,
      barcode: barcodeSpec(randomBlankNumber(random), 'code128', random),
      ...cleanScan(random),
    });
    const [page] = (await analyser.analyse((await renderPage(spec)).bytes, {}, false)).pages;
    if (page === undefined) throw new Error('no page');
    pages.push(page);
  }
}, 180_000);

afterAll(async () => {
  await analyser.close();
});

/** The pages as scanArchive hands them to a batch: summaries, and their signatures packed by `store`. */
function packBatch(store: ReturnType<typeof createSignatureStore<number>>, batchPages: readonly PageAnalysis[]): BatchInput {
  const batch: BatchPage[] = batchPages.map((page, index) => {
    store.add(index, page.inkSignature);
    return { summary: toPageSummary(page), signature: index, alternatives: [] };
  });
  const packed = store.pack(batchPages.map((_, index) => index));
  if (packed === null) throw new Error('a signature was not stored');
  return { pages: batch, signatures: packed };
}

/** decideBatchInParts with every part run here, on clones (what crosses to a worker is cloned: a part cannot lean on objects of this thread). */
async function decideInParts(input: BatchInput, threads: number): Promise<{ inParts: PageSummary[]; parts: BatchPart[] }> {
  const parts: BatchPart[] = [];
  const inParts = await decideBatchInParts(input, threads, async (part) => {
    parts.push(part);
    return runBatchPart(structuredClone(input), structuredClone(part));
  });
  return { inParts, parts };
}

describe('decideBatch', () => {
  it('decides in a page worker exactly as finaliseFill does here, from signatures partly spilled to a file', async () => {
    // room in memory for about two packed signatures: the rest go to the store's file
    const store = createSignatureStore<number>(40_000);
    try {
      const { pages: batch, signatures: packed } = packBatch(store, pages);
      expect(packed.fd).not.toBeNull();
      expect(packed.entries.filter((entry) => 'bytes' in entry).length).toBeLessThan(pages.length);

      const inWorker = await analyser.decideBatch({ pages: batch, signatures: packed });
      const here = finaliseFill(pages).map(toPageSummary);
      expect(inWorker).toEqual(here);
      expect(decideBatch({ pages: batch, signatures: packed })).toEqual(here);
      // the batch learnt the print: the empty sheets are empty, the written ones filled
      expect(inWorker.map((page) => page.fill)).toEqual(HANDWRITING.map((handwriting) => (handwriting === 'none' ? 'empty' : 'filled')));
    } finally {
      store.close();
    }
  }, 60_000);

  it('decides in parts (shared by threads) exactly as whole, each part given only what the parts before it decided', async () => {
    const store = createSignatureStore<number>(40_000);
    try {
      // two forms: the second is the first's pages turned upside down, so they group apart and are measured in two parts
      const upsideDown = pages.map((page) => ({ ...page, inkSignature: { ...page.inkSignature, cells: page.inkSignature.cells.slice().reverse() } }));
      const all = [...pages, ...upsideDown];
      const input = packBatch(store, all);
      const { inParts, parts } = await decideInParts(input, 2);
      expect(inParts).toEqual(decideBatch(input));
      expect(inParts).toEqual(finaliseFill(all).map(toPageSummary));
      // no page's words run across its code: no sideways part; the grouping's order and its end (too few pages to
      // share); each form measured in a part of its own
      expect(parts.map((part) => part.part)).toEqual(['plan-order', 'plan-finish', 'measure', 'measure']);
      const measured = parts.flatMap((part) => (part.part === 'measure' ? part.slices : []));
      expect(measured.sort((first, second) => first.form - second.form)).toEqual([{ form: 0 }, { form: 1 }]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('measures a form larger than a share of the threads in slices, exactly as whole', async () => {
    const store = createSignatureStore<number>(40_000);
    try {
      // one blank type, 104 pages: the eight scans, each moved by up to a cell either way
      const all = Array.from({ length: 104 }, (_, index) => {
        const page = pages[index % pages.length] as PageAnalysis;
        const moved = shiftSignature(page.inkSignature, (index % 3) - 1, (Math.floor(index / 3) % 3) - 1);
        return { ...page, inkSignature: moved };
      });
      const input = packBatch(store, all);
      const { inParts, parts } = await decideInParts(input, 2);
      const whole = finaliseFill(all).map(toPageSummary);
      expect(inParts).toEqual(whole);
      expect(whole.filter((page) => page.fill === 'empty').length).toBeGreaterThan(0);
      const slices = parts.flatMap((part) => (part.part === 'measure' ? [part.slices] : []));
      expect(slices).toEqual([[{ form: 0, from: 0, to: 52 }], [{ form: 0, from: 52, to: 104 }]]);
      // too few pages to share the grouping (103 after the first, under 64 for each of two threads)
      expect(parts.filter((part) => part.part === 'plan-match')).toEqual([]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('groups the pages in parts (a round of matching per form, shared by the threads) exactly as planFill', async () => {
    // three blank types (the pages as they are, upside down, and mirrored), each page moved every way by up to a cell
    const types = [(cells: Uint8Array) => cells, (cells: Uint8Array) => cells.slice().reverse(), (cells: Uint8Array) => mirror(cells)];
    const moves = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dx, dy] as const));
    const all = types.flatMap((type) =>
      moves.flatMap(([dx, dy]) => pages.map((page) => ({ ...page, inkSignature: shiftSignature({ ...page.inkSignature, cells: type(page.inkSignature.cells) }, dx, dy) }))),
    );
    const store = createSignatureStore<number>(40_000);
    try {
      const input = packBatch(store, all);
      const plan = planFill(all);
      expect(plan.forms.length).toBe(3);
      const whole = finaliseFill(all).map(toPageSummary);
      // two threads: rounds for the first two forms (215 and 143 pages left), the last 71 pages finished in turn;
      // three threads: one round, then 143 pages finished in turn
      for (const [threads, expected] of [
        [2, [0, 0, 1, 1]],
        [3, [0, 0, 0]],
      ] as const) {
        const { inParts, parts } = await decideInParts(input, threads);
        expect(inParts).toEqual(whole);
        expect(parts.flatMap((part) => (part.part === 'plan-match' ? [part.firstForm] : []))).toEqual(expected);
        const finished = parts.find((part) => part.part === 'plan-finish');
        if (finished?.part !== 'plan-finish') throw new Error('no finishing part');
        // left to the finishing part, each with the forms it was already compared with (all but the newest)
        const left = finished.places.filter((place) => typeof place === 'object' && 'tried' in place);
        expect(left).toEqual(Array.from({ length: threads === 2 ? 71 : 143 }, () => ({ tried: threads === 2 ? 2 : 1 })));
        expect(runBatchPart(input, finished)).toEqual({ part: 'plan-finish', plan });
      }
    } finally {
      store.close();
    }
  }, 90_000);

  it('groups the pages in one round from the sideways step\'s grouping, exactly as planFill, and as exactly when that guess is wrong', async () => {
    const types = [(cells: Uint8Array) => cells, (cells: Uint8Array) => cells.slice().reverse(), (cells: Uint8Array) => mirror(cells)];
    const moves = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dx, dy] as const));
    const all: PageAnalysis[] = types.flatMap((type) =>
      moves.flatMap(([dx, dy]) => pages.map((page) => ({ ...page, inkSignature: shiftSignature({ ...page.inkSignature, cells: type(page.inkSignature.cells) }, dx, dy) }))),
    );
    // one page's words run across its code: the sideways step runs (and turns nothing: one page is no form's vote)
    const across = all.length - 1;
    all[across] = { ...(all[across] as PageAnalysis), diagnostics: [...(all[across]?.diagnostics ?? []), ORIENTATION_CONTENT_DISAGREES], contentRotation: 90 };
    const perType = moves.length * pages.length;
    const typeOf = (index: number): number => Math.floor(index / perType);
    const indices = all.map((_, index) => index);
    const store = createSignatureStore<number>(40_000);
    try {
      const input = packBatch(store, all);
      const whole = finaliseFill(all).map(toPageSummary);
      const plan = planFill(all);
      const stepped = runBatchPart(input, { part: 'sideways' });
      if (stepped.part !== 'sideways') throw new Error('no sideways step');
      expect(stepped.turns).toEqual([]);
      const guesses = {
        // the step's own grouping: the three blank types
        right: stepped.forms,
        // two forms taken for one, and one split in two: the guess fails at the second form's first page
        wrong: [indices.filter((index) => typeOf(index) !== 2), indices.filter((index) => typeOf(index) === 2 && index % 2 === 0), indices.filter((index) => typeOf(index) === 2 && index % 2 === 1)],
      };
      expect(guesses.right.length).toBe(3);
      for (const [name, forms] of Object.entries(guesses)) {
        const parts: BatchPart[] = [];
        const inParts = await decideBatchInParts(input, 2, async (part) => {
          parts.push(part);
          // the sideways step answers with the guess under test
          return part.part === 'sideways' ? { part: 'sideways', turns: [], forms } : runBatchPart(structuredClone(input), structuredClone(part));
        });
        expect(inParts, name).toEqual(whole);
        const matched = parts.flatMap((part) => (part.part === 'plan-match' ? [part] : []));
        // the first round compares each page only with the guessed leaders before it
        expect(matched[0]?.eligible?.length, name).toBe(matched[0]?.indices.length);
        const finished = parts.find((part) => part.part === 'plan-finish');
        if (finished?.part !== 'plan-finish') throw new Error('no finishing part');
        expect(runBatchPart(input, finished), name).toEqual({ part: 'plan-finish', plan });
        if (name === 'right') {
          // one round of two shares placed every settled page
          expect(matched.length).toBe(2);
          expect(finished.places.every((place) => typeof place !== 'object' || !('tried' in place))).toBe(true);
        } else {
          expect(matched.length).toBeGreaterThan(2);
        }
      }
    } finally {
      store.close();
    }
  }, 90_000);

  it('shares the forms among threads, cutting only a form larger than a share, every page once', () => {
    const form = (size: number) => Array.from({ length: size }, (_, index) => ({ index, dx: 0, dy: 0 }));
    const plan = { turns: [], forms: [form(5), form(1000), form(1), form(300)] };
    const shares = shareForms(plan, 2);
    const pagesOf = (slices: FormSlice[]) => slices.reduce((sum, slice) => sum + (slice.to ?? plan.forms[slice.form]?.length ?? 0) - (slice.from ?? 0), 0);
    expect(shares.map(pagesOf)).toEqual([653, 652]);
    // the form of one page is left to its page's own call; the small forms stay whole
    const slices = shares.flat();
    expect(slices.some((slice) => slice.form === 2)).toBe(false);
    expect(slices.filter((slice) => slice.form === 0)).toEqual([{ form: 0 }]);
    for (const cut of [1, 3]) {
      const ranges = slices.filter((slice) => slice.form === cut).map((slice) => [slice.from ?? 0, slice.to ?? plan.forms[cut]?.length ?? 0]);
      ranges.sort((first, second) => (first[0] ?? 0) - (second[0] ?? 0));
      expect(ranges[0]?.[0]).toBe(0);
      expect(ranges.at(-1)?.[1]).toBe(plan.forms[cut]?.length);
      for (let at = 1; at < ranges.length; at++) expect(ranges[at]?.[0]).toBe(ranges[at - 1]?.[1]);
      for (const [from = 0, to = 0] of ranges) expect(to - from).toBeGreaterThanOrEqual(48);
    }
    // one thread: every form whole
    expect(shareForms(plan, 1)).toEqual([[{ form: 0 }, { form: 1 }, { form: 3 }]]);
    // three threads and a form of 97 pages: no slice of a page or two
    expect(shareForms({ turns: [], forms: [form(97)] }, 3)).toEqual([[{ form: 0, from: 0, to: 48 }], [{ form: 0, from: 48, to: 97 }]]);
  });

  it('knows no signature it was not given', () => {
    const store = createSignatureStore<number>();
    try {
      const [page] = pages;
      if (page === undefined) throw new Error('no page');
      store.add(1, page.inkSignature);
      expect(store.pack([1, 2])).toBeNull();
    } finally {
      store.close();
    }
  });
});
