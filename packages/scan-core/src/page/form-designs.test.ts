/**
 * Outcomes on sheets of the independently generated blank designs (fixtures/forms): grids of answer boxes in
 * columns, tables, a landscape sheet, registration squares, decoy kit-number codes. The held-out design is not used
 * here: it is only ever measured by `pnpm bench`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { recipeFor } from '../../fixtures/forms/generate-form-set.ts';
import { DESIGN_NAMES } from '../../fixtures/forms/form-designs.ts';
import type { DesignName } from '../../fixtures/forms/form-designs.ts';
import { scanSheet } from '../../fixtures/forms/scan-sheet.ts';
import type { SheetRecipe } from '../../fixtures/forms/scan-sheet.ts';
import { finaliseFill, formTurn, learnFillTemplate } from '../fill/finalise-fill.ts';
import { createPageAnalyser } from '../pool/create-page-analyser.ts';
import { createScanResultBuilder } from '../scan/build-scan-result.ts';
import { analyseImage } from './analyse-image.ts';
import { ORIENTATION_CONTENT_DISAGREES, ORIENTATION_FROM_CONTENT, ROTATION_CORRECTED_BY_BATCH } from '../shared/diagnostics.ts';
import type { PageAnalysis } from '../shared/types.ts';

interface Sheet {
  name: string;
  recipe: SheetRecipe;
  analysis: PageAnalysis;
}

/** The recipe seed of sheet `sheet` (1-based) of a design in `pnpm bench`'s set (generate-form-set.ts, seed 7). */
const benchSeed = (design: DesignName, sheet: number): number => 7 * 1_000_003 + (sheet - 1) * 17 + DESIGN_NAMES.indexOf(design) * 7919;

const SHEETS: Array<{ name: string; design: DesignName; overrides: Partial<SheetRecipe>; seed?: number }> = [
  // the sheet of the report: an upright grid blank whose code is read, its columns of boxes longer than any text line
  { name: 'grid-upright-code-read', design: 'answer-grid', overrides: { turn: 0, writing: 'dense', codeDamaged: false, kitNumber: '100001' } },
  { name: 'grid-empty-upright', design: 'answer-grid', overrides: { turn: 0, writing: 'none', codeDamaged: false } },
  { name: 'grid-empty-skewed', design: 'answer-grid', overrides: { turn: 0, writing: 'none', codeDamaged: false, skew: 1.8 } },
  { name: 'grid-turned-90-code-torn', design: 'answer-grid', overrides: { turn: 90, writing: 'some', codeDamaged: true } },
  { name: 'grid-one-answer-bilevel', design: 'answer-grid', overrides: { turn: 180, writing: 'one', codeDamaged: false, mode: 'bilevel', format: 'tiff-lzw' } },
  { name: 'table-empty', design: 'table-protocol', overrides: { turn: 0, writing: 'none', codeDamaged: false, kitNumber: '100002' } },
  { name: 'table-empty-fold', design: 'table-protocol', overrides: { turn: 0, writing: 'none', codeDamaged: false, fold: true } },
  { name: 'table-turned-270-written', design: 'table-protocol', overrides: { turn: 270, writing: 'some', codeDamaged: false, mode: 'colour' } },
  { name: 'table-upside-down-code-torn', design: 'table-protocol', overrides: { turn: 180, writing: 'none', codeDamaged: true } },
  { name: 'landscape-fed-sideways', design: 'landscape-grid', overrides: { turn: 90, writing: 'one', codeDamaged: false } },
  { name: 'landscape-empty', design: 'landscape-grid', overrides: { turn: 270, writing: 'none', codeDamaged: false } },
  { name: 'landscape-empty-2', design: 'landscape-grid', overrides: { turn: 90, writing: 'none', codeDamaged: false, mode: 'grey', format: 'tiff-lzw' } },
  // a score card prints its code down the right margin, across its text: stacked labels and columns of boxes line up
  // along the columns, yet the words run along the rows; the batch turns the form as a whole
  { name: 'score-card-upright', design: 'score-card', overrides: { turn: 0, writing: 'some', codeDamaged: false, symbology: 'code128' } },
  { name: 'score-card-empty', design: 'score-card', overrides: { turn: 0, writing: 'none', codeDamaged: false, symbology: 'code128', fold: true } },
  { name: 'score-card-turned-90', design: 'score-card', overrides: { turn: 90, writing: 'one', codeDamaged: false, symbology: 'qrcode' } },
  { name: 'score-card-upside-down', design: 'score-card', overrides: { turn: 180, writing: 'none', codeDamaged: false, symbology: 'code128' } },
  { name: 'score-card-empty-2', design: 'score-card', overrides: { turn: 0, writing: 'none', codeDamaged: false, symbology: 'code128', mode: 'bilevel', format: 'tiff-lzw' } },
  // sheets of the bench's set, as generated there, whose columns of labels and boxes once outweighed their words
  { name: 'score-card-bench-005', design: 'score-card', overrides: {}, seed: benchSeed('score-card', 5) },
  { name: 'score-card-bench-020', design: 'score-card', overrides: {}, seed: benchSeed('score-card', 20) },
  { name: 'score-card-bench-034', design: 'score-card', overrides: {}, seed: benchSeed('score-card', 34) },
];
/** Designs that print the blank-number code sideways to their text: a page alone keeps its code's way up. */
const CODE_SIDEWAYS: readonly DesignName[] = ['score-card'];

const sheets: Sheet[] = [];

beforeAll(async () => {
  for (const [index, { name, design, overrides, seed }] of SHEETS.entries()) {
    const recipe: SheetRecipe =
      seed === undefined ? { ...recipeFor(design, 90_001 + index * 31, false), fold: false, holes: false, stain: false, blot: false, ...overrides } : recipeFor(design, seed, false);
    const { bytes } = await scanSheet(recipe);
    const [analysis] = await analyseImage(bytes);
    if (analysis === undefined) throw new Error(`${name}: no page`);
    sheets.push({ name, recipe, analysis });
  }
}, 240_000);

const truthRotation = (recipe: SheetRecipe): number => (360 - recipe.turn) % 360;

describe('form designs the code was not written for', () => {
  it('reads every intact code, never the kit number, and takes the way up from it', () => {
    for (const { name, recipe, analysis } of sheets) {
      if (recipe.codeDamaged) {
        expect(analysis.blankNumber, name).toBeNull();
        continue;
      }
      expect(analysis.blankNumber, name).toBe(recipe.blankNumber);
      if (CODE_SIDEWAYS.includes(recipe.design)) {
        // alone, the page takes its code's way up (the code reads top to bottom: a quarter turn short); the words
        // are read the right way, across the code, and the disagreement is noted
        expect(analysis.rotation, name).toBe((truthRotation(recipe) + 270) % 360);
        expect(analysis.diagnostics, name).toContain(ORIENTATION_CONTENT_DISAGREES);
        expect(analysis.contentRotation, name).toBe(truthRotation(recipe));
      } else {
        expect(analysis.rotation, name).toBe(truthRotation(recipe));
      }
      expect(Math.abs(analysis.skewDegrees - recipe.skew), name).toBeLessThan(0.5);
    }
    expect(sheets.find((s) => s.name === 'grid-upright-code-read')?.analysis.rotation).toBe(0);
  });

  it('sets every page upright after the batch, also those whose code is torn', () => {
    const finalised = finaliseFill(sheets.map((s) => s.analysis));
    sheets.forEach(({ name, recipe, analysis }, index) => {
      expect(finalised[index]?.rotation, name).toBe(truthRotation(recipe));
      if (recipe.codeDamaged) expect(analysis.diagnostics, name).toContain(ORIENTATION_FROM_CONTENT);
    });
  });

  // one worker decides the batch whole; two share it in parts (decideBatchInParts): the same pages either way
  it.each([1, 2])('sets every page upright when the batch is decided by %i page worker(s), as scanArchive decides it', async (workers) => {
    const builder = createScanResultBuilder();
    const analyser = createPageAnalyser({ size: workers });
    try {
      for (const [index, { analysis }] of sheets.entries()) builder.setPages(builder.reservePage(), `sheet-${index}.jpg`, `sha-${index}`, [analysis]);
      const result = await builder.build('forms.zip', performance.now(), { profile: false, onBatch: () => undefined, decide: (input) => analyser.decideBatch(input) });
      const here = finaliseFill(sheets.map((s) => s.analysis));
      sheets.forEach(({ name, recipe }, index) => {
        const entry = result.entries[index];
        expect(entry?.rotation, name).toBe(truthRotation(recipe));
        expect(entry?.fill, name).toBe(here[index]?.fill);
        expect(entry?.analysis?.inkScore, name).toBe(here[index]?.inkScore);
        expect(entry?.analysis?.imageHash, name).toBe(here[index]?.imageHash);
        expect(entry?.analysis?.diagnostics, name).toEqual(here[index]?.diagnostics);
      });
      // pages the batch had to turn, from the signatures of their other turns that travelled packed
      expect(result.entries.filter((entry) => entry.analysis?.diagnostics.includes(ROTATION_CORRECTED_BY_BATCH)).length).toBeGreaterThan(0);
    } finally {
      builder.close();
      await analyser.close();
    }
  });

  it("keeps the code's way up on a page said to have its words across the code, when it matches its form as it is", () => {
    const analyses = sheets.map((sheet) => sheet.analysis);
    const index = sheets.findIndex((sheet) => sheet.name === 'grid-empty-upright');
    const doubted = analyses.map((analysis, at) => (at === index ? { ...analysis, diagnostics: [...analysis.diagnostics, ORIENTATION_CONTENT_DISAGREES] } : analysis));
    const finalised = finaliseFill(doubted)[index];
    expect(finalised?.rotation).toBe(0);
    expect(finalised?.diagnostics).not.toContain('rotation_corrected_by_batch');
  });

  it('sets a rescan of one page upright against its form\'s template, also of a form that prints its code sideways', () => {
    const finalised = finaliseFill(sheets.map((s) => s.analysis));
    for (const design of ['score-card', 'table-protocol'] as const) {
      const own = sheets.map((sheet, index) => ({ sheet, index })).filter(({ sheet }) => sheet.recipe.design === design);
      // the template as the server learns it: from the pages as analysed alone, with the turn the batch gave them
      const empties = own.filter(({ sheet }) => sheet.recipe.writing === 'none');
      const learnt = learnFillTemplate(empties.map(({ sheet }) => sheet.analysis));
      if (learnt === null) throw new Error(`${design}: no template`);
      const template = { ...learnt, turn: formTurn(empties.map(({ sheet, index }) => ({ alone: sheet.analysis.rotation, decided: (finalised[index] as PageAnalysis).rotation }))) };
      expect(template.turn, design).toBe(CODE_SIDEWAYS.includes(design) ? 90 : 0);
      for (const { sheet } of own) {
        const [alone] = finaliseFill([sheet.analysis], { template });
        expect(alone?.rotation, sheet.name).toBe(truthRotation(sheet.recipe));
        if (sheet.recipe.writing !== 'none') expect(alone?.fill, sheet.name).toBe('filled');
        // turned by the template only when its code's way up was not the page's
        expect(alone?.diagnostics.includes(ROTATION_CORRECTED_BY_BATCH), sheet.name).toBe(sheet.analysis.rotation !== truthRotation(sheet.recipe));
      }
    }
  });

  it('never calls a written page empty in a mixed batch, and calls the clean empty ones empty', () => {
    const finalised = finaliseFill(sheets.map((s) => s.analysis));
    const calls = sheets.map(({ name, recipe }, index) => `${name} (${recipe.writing}): ${finalised[index]?.fill} ${finalised[index]?.inkScore}`).join('\n');
    sheets.forEach(({ recipe }, index) => {
      if (recipe.writing !== 'none') expect(finalised[index]?.fill, calls).toBe('filled');
    });
    const empties = sheets.map(({ recipe }, index) => (recipe.writing === 'none' ? finalised[index]?.fill : null)).filter((fill) => fill !== null);
    expect(empties.filter((fill) => fill === 'empty').length, calls).toBeGreaterThanOrEqual(empties.length - 1);
  });
});
