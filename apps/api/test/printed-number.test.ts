import { analyseImage } from '@collector/scan-core';
import { describe, expect, it } from 'vitest';
import { findDigitLineCrops } from '../src/services/scans/digit-line-crops.ts';
import { createDigitReader, type ReadDigit } from '../src/services/scans/digit-reader.ts';
import { printedNumberPatterns, softAgreement } from '../src/services/scans/printed-number-patterns.ts';
import { makeDamagedBlankPage } from './fixtures/make-damaged-blank-page.ts';

/** Digits as tesseract reports them: a 39 px pitch, 34 px glyphs, from x = 50. */
function line(text: string, overrides: Record<number, Partial<ReadDigit>> = {}): ReadDigit[] {
  return [...text].flatMap((digit, i) => (digit === ' ' ? [] : [{ digit, x0: 50 + i * 39, x1: 84 + i * 39, confidence: 97, ...overrides[i] }]));
}

describe('printed digits on their grid', () => {
  it('a whole, sure read is the number itself', () => {
    expect(printedNumberPatterns(line('20031192417700011'), 17)).toMatchObject({ whole: '20031192417700011', patterns: ['20031192417700011'] });
  });

  it('a lost digit leaves an unread place instead of closing up, and lost ends give every split', () => {
    expect(printedNumberPatterns(line('2003119 417700011'), 17)?.patterns).toEqual(['2003119_417700011']);
    expect(printedNumberPatterns(line('  031192417700011'), 17)?.patterns).toEqual(['031192417700011__', '_031192417700011_', '__031192417700011']);
  });

  it('an unsure digit, a symbol as wide as a blot, and a stray symbol between two digits are not used', () => {
    const digits = line('20031192417700011', { 3: { confidence: 20 }, 7: { x1: 50 + 7 * 39 + 90 } });
    // a speck read as a sure «8» half-way between places 5 and 6
    digits.push({ digit: '8', x0: 50 + 5.5 * 39, x1: 84 + 5.5 * 39, confidence: 95 });
    digits.sort((a, b) => a.x0 - b.x0);
    const read = printedNumberPatterns(digits, 17);
    expect(read?.patterns).toEqual(['200_119_417700011']);
    expect(read?.whole).toBeNull();
    // the unsure digit still ranks candidates, never narrows them
    expect(read?.soft).toBe('2003119_417700011');
    expect(softAgreement(read?.soft ?? '', '20031192417700011')).toBeGreaterThan(softAgreement(read?.soft ?? '', '20081192417700011'));
  });

  it('too few sure digits give no pattern to look up', () => {
    expect(printedNumberPatterns(line('2003      7     1'), 17)?.patterns).toEqual([]);
  });
});

describe('the OCR engine', () => {
  it('starts on the first read, reads the printed number of a page whose code is scratched out, and stops when idle', async () => {
    const number = '20031192417700031';
    const page = await makeDamagedBlankPage({ blankNumber: number, filled: true, seed: 5, lostDigits: 0 });
    const [analysis] = await analyseImage(page, { wantUpright: true });
    expect(analysis?.blankNumber).toBeNull();
    const crops = await findDigitLineCrops(analysis?.uprightJpeg ?? new Uint8Array());
    expect(crops[0]?.besideBars).toBe(true);
    const reader = createDigitReader({ idleMs: 400 });
    expect(reader.running).toBe(false);
    const digits = await reader.readLine(crops[0]?.png ?? Buffer.alloc(0));
    expect(reader.running).toBe(true);
    expect(printedNumberPatterns(digits, 17)?.whole).toBe(number);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(reader.running).toBe(false);
    await reader.close();
  }, 60_000);
});
