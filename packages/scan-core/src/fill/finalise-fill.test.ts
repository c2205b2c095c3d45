/**
 * Filled / empty on a generated batch of two blank types: the print is learnt from the batch (no template), and
 * separately from a registered template. A single digit counts as filled; holes, black borders, a fold, noise and a
 * washed-out scan do not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barcodeSpec, cleanScan, randomBlankNumber, randomSpec } from '../../fixtures/generator/generate-pages.ts';
import { createRandom } from '../../fixtures/generator/random.ts';
import { renderPage } from '../../fixtures/generator/render-page.ts';
import type { Handwriting, PageSpec } from '../../fixtures/generator/render-page.ts';
import { ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from '../shared/diagnostics.ts';
import { turnImageHash } from '../image/turn-image-hash.ts';
import type { PageAnalysis, Rotation } from '../shared/types.ts';
import { createPageAnalyser } from '../pool/create-page-analyser.ts';
import { MASKED_CELL } from './compute-ink-signature.ts';
import { finaliseFill, formTurn, learnFillTemplate } from './finalise-fill.ts';

interface Case {
  form: number;
  handwriting: Handwriting;
  extra: Partial<PageSpec>;
}

const CASES: Case[] = [];
for (const form of [0, 2]) {
  CASES.push(
    { form, handwriting: 'none', extra: {} },
    { form, handwriting: 'none', extra: { skew: -1.5 } },
    { form, handwriting: 'none', extra: { output: { kind: 'tiff', compression: 'lzw', depth: 8, colour: false } } },
    { form, handwriting: 'none', extra: { holes: true, border: true, fold: true, skew: 2.5 } },
    { form, handwriting: 'none', extra: { contrast: 0.55, noise: 6, output: { kind: 'jpeg', quality: 55, colour: false } } },
    { form, handwriting: 'none', extra: { output: { kind: 'tiff', compression: 'ccittfax4', depth: 1, colour: false } } },
    { form, handwriting: 'digit', extra: {} },
    { form, handwriting: 'digit', extra: { skew: -3, noise: 4 } },
    { form, handwriting: 'few', extra: { scanTurn: 180 } },
    { form, handwriting: 'dense', extra: {} },
  );
}

let dir = '';
let pages: PageAnalysis[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scan-core-fill-'));
  const random = createRandom(4242);
  pages = [];
  // analysed as scanArchive analyses them (the page worker), so fill/ is tested without importing page/
  const analyser = createPageAnalyser({ size: 1 });
  try {
    for (const [i, c] of CASES.entries()) {
      const { spec } = randomSpec(random, 60_000 + i, {
        formId: c.form,
        handwriting: c.handwriting,
        barcode: barcodeSpec(randomBlankNumber(random), 'qrcode', random),
        ...cleanScan(random),
        ...c.extra,
      });
      const { bytes } = await renderPage(spec);
      const [page] = (await analyser.analyse(bytes, {}, false)).pages;
      if (page === undefined) throw new Error('no page');
      pages.push(page);
    }
  } finally {
    await analyser.close();
  }
}, 180_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('finaliseFill', () => {
  it('learns the print of each blank type from the batch and calls every page right', () => {
    const finalised = finaliseFill(pages);
    const calls = finalised.map((p, i) => `${CASES[i]?.form}/${CASES[i]?.handwriting}: ${p.fill} (${p.inkScore})`);
    // the costly error — a written page called empty — must not happen at all
    const written = CASES.map((c, i) => (c.handwriting === 'none' ? null : finalised[i]?.fill)).filter((f) => f !== null);
    expect(written.every((f) => f === 'filled'), calls.join('\n')).toBe(true);
    // an empty page may rarely be called filled (a scan that draws the print unusually): at most one in twelve
    const empties = CASES.map((c, i) => (c.handwriting === 'none' ? finalised[i]?.fill : null)).filter((f) => f !== null);
    expect(empties.filter((f) => f === 'filled').length, calls.join('\n')).toBeLessThanOrEqual(1);
    // more writing, more ink
    const dense = finalised.find((_, i) => CASES[i]?.handwriting === 'dense')?.inkScore ?? 0;
    const digit = finalised.find((_, i) => CASES[i]?.handwriting === 'digit')?.inkScore ?? 0;
    expect(dense).toBeGreaterThan(digit);
  });

  it('turns a page that only its content oriented, when it matches its blank type only upside down', () => {
    // simulate a content-based call that got the way up wrong: the same page, turned by 180° with its signature
    const original = pages[1] as PageAnalysis;
    const wrong: PageAnalysis = {
      ...original,
      rotation: ((original.rotation + 180) % 360) as PageAnalysis['rotation'],
      inkSignature: { ...original.inkSignature, cells: original.inkSignature.cells.slice().reverse() },
      imageHash: turnImageHash(original.imageHash),
      diagnostics: [...original.diagnostics, ORIENTATION_FROM_CONTENT],
    };
    const batch = pages.map((p, i) => (i === 1 ? wrong : p));
    const finalised = finaliseFill(batch);
    expect(finalised[1]?.rotation).toBe(original.rotation);
    expect(finalised[1]?.imageHash).toBe(original.imageHash);
    expect(finalised[1]?.diagnostics).toContain(ROTATION_CORRECTED_BY_BATCH);
    expect(finalised[1]?.fill).toBe('empty');
    // a page whose way up a barcode gave is never turned by the batch
    expect(finalised.filter((p) => p.diagnostics.includes(ROTATION_CORRECTED_BY_BATCH))).toHaveLength(1);
  });

  it('keeps every other field of the page', () => {
    const finalised = finaliseFill(pages);
    expect(finalised.map((p) => p.blankNumber)).toEqual(pages.map((p) => p.blankNumber));
    expect(finalised.map((p) => p.rotation)).toEqual(pages.map((p) => p.rotation));
  });

  it('never calls a page empty on its own: with no batch to learn from, ink counts as writing', () => {
    const lonely = finaliseFill([pages[0] as PageAnalysis]);
    expect(lonely[0]?.fill).toBe('filled');
  });

  it('uses a registered template learnt from a few empty scans of the blank', () => {
    const form0 = CASES.map((c, i) => ({ c, page: pages[i] })).filter(({ c }) => c.form === 0);
    // the template comes from the clean empty scans; the degraded empty ones and the written ones are judged
    const template = learnFillTemplate(form0.slice(0, 3).map(({ page }) => page as PageAnalysis));
    expect(template).not.toBeNull();
    if (template === null) return;
    const judged = finaliseFill(form0.slice(3).map(({ page }) => page as PageAnalysis), { template });
    const truth = form0.slice(3).map(({ c }) => (c.handwriting === 'none' ? 'empty' : 'filled'));
    expect(judged.map((p) => `${p.fill}`).join(', '), judged.map((p) => p.inkScore).join(' ')).toEqual(truth.join(', '));
  });

  it("takes as code area in a template every code seen on any of its pages, and so ignores an unread code's bars there", () => {
    const form0 = CASES.map((c, i) => ({ c, page: pages[i] })).filter(({ c }) => c.form === 0 && c.handwriting === 'none');
    const [first, second, third] = form0.map(({ page }) => page as PageAnalysis);
    if (first === undefined || second === undefined || third === undefined) throw new Error('too few empty pages');
    // the code areas of two of the three pages read as paper (their codes were not read): only one page masks them
    const unmasked = (page: PageAnalysis): PageAnalysis => ({ ...page, inkSignature: { ...page.inkSignature, cells: page.inkSignature.cells.map((value) => (value === MASKED_CELL ? 0 : value)) } });
    const masked = first.inkSignature.cells.reduce((count, value) => count + (value === MASKED_CELL ? 1 : 0), 0);
    expect(masked).toBeGreaterThan(0);
    const template = learnFillTemplate([first, unmasked(second), unmasked(third)]);
    if (template === null) throw new Error('no template');
    // the one page's code area, registered on the template's leader and widened for longer codes
    expect(template.signature.cells.filter((value) => value === MASKED_CELL).length).toBeGreaterThanOrEqual(masked);
    // a page whose code was not read, with bars in the code area that no template page shows: not handwriting
    const bars = { ...first.inkSignature, cells: first.inkSignature.cells.map((value, cell) => (value === MASKED_CELL ? (cell % 3 === 0 ? 254 : 0) : value)) };
    const [judged] = finaliseFill([{ ...first, inkSignature: bars }], { template });
    expect(judged?.fill).toBe('empty');
  });

  it('gives a template the turn the batch gave three in four of its pages, else none', () => {
    const turned = (alone: Rotation, decided: Rotation) => ({ alone, decided });
    expect(formTurn([turned(270, 0), turned(90, 180), turned(0, 90), turned(180, 270)])).toBe(90);
    expect(formTurn([turned(270, 0), turned(90, 180), turned(0, 90), turned(0, 0)])).toBe(90);
    expect(formTurn([turned(270, 0), turned(90, 180), turned(0, 0), turned(90, 90)])).toBe(0);
    expect(formTurn([turned(0, 0), turned(180, 180)])).toBe(0);
    expect(formTurn([])).toBe(0);
  });

  it('does not take a dark blot on one template page for a code: writing there is still writing', () => {
    const form0 = CASES.map((c, i) => ({ c, page: pages[i] as PageAnalysis })).filter(({ c }) => c.form === 0);
    const empties = form0.filter(({ c }) => c.handwriting === 'none').map(({ page }) => page);
    const written = form0.filter(({ c }) => c.handwriting !== 'none').map(({ page }) => page);
    const [first, second, third] = empties;
    if (first === undefined || second === undefined || third === undefined || written.length === 0) throw new Error('too few pages');
    for (const page of written) {
      // one template page carries a dark blot (not a code: not masked) just where this page is written
      const cells = second.inkSignature.cells.map((value, cell) => {
        const writing = (page.inkSignature.cells[cell] ?? 0) - (first.inkSignature.cells[cell] ?? 0);
        return value !== MASKED_CELL && writing > 60 ? 230 : value;
      });
      const template = learnFillTemplate([first, { ...second, inkSignature: { ...second.inkSignature, cells } }, third]);
      if (template === null) throw new Error('no template');
      expect(finaliseFill([page], { template })[0]?.fill).toBe('filled');
    }
  });
});
