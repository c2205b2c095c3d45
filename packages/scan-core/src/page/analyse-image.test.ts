/**
 * Outcomes on generated scans, one per scenario (fixtures/generator/generate-scenarios.ts): numbers read in every
 * symbology, nothing misread, decoys ignored, the ambiguous page refused, every page upright, every TIFF
 * compression decoded, junk refused with unreadable_image.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileTruth } from '../../fixtures/generator/generate-pages.ts';
import { generateScenarios } from '../../fixtures/generator/generate-scenarios.ts';
import { isScanError } from '../errors.ts';
import { randomSpec } from '../../fixtures/generator/generate-pages.ts';
import { createRandom } from '../../fixtures/generator/random.ts';
import { renderPage } from '../../fixtures/generator/render-page.ts';
import { finaliseFill } from '../fill/finalise-fill.ts';
import { analyseImage, renderUprightPage } from './analyse-image.ts';
import { createPageAnalyser } from '../pool/create-page-analyser.ts';
import { THUMBNAIL_WIDTH } from '../image/sharp-codec.ts';
import type { PageAnalysis } from '../shared/types.ts';

let dir = '';
let files: FileTruth[] = [];
const results = new Map<string, PageAnalysis[]>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scan-core-pages-'));
  files = await generateScenarios(dir);
  for (const file of files) results.set(file.file, await analyseImage(await readFile(join(dir, file.file))));
}, 180_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function resultOf(name: string): PageAnalysis {
  const file = files.find((f) => f.scenario === name);
  const result = file === undefined ? undefined : results.get(file.file)?.[0];
  if (result === undefined) throw new Error(`no result for ${name}`);
  return result;
}

describe('analyseImage on generated scans', () => {
  it('reads the blank number of every readable page, in every symbology, and never a wrong one', () => {
    const symbologies = new Set<string>();
    for (const file of files) {
      file.pages.forEach((truth, i) => {
        const result = results.get(file.file)?.[i];
        expect(result, file.file).toBeDefined();
        if (result === undefined) return;
        if (truth.ambiguous) return;
        if (truth.readable) {
          expect(result.blankNumber, file.file).toBe(truth.blankNumber);
          expect(result.symbology, file.file).toBe(truth.symbology);
          expect(result.readStep, file.file).not.toBeNull();
          symbologies.add(String(result.symbology));
        } else if (result.blankNumber !== null) {
          // a damaged code may still be read, but only as the number it carries
          expect(result.blankNumber, file.file).toBe(truth.blankNumber);
        }
      });
    }
    expect([...symbologies].sort()).toEqual(['aztec', 'code128', 'datamatrix', 'itf', 'pdf417', 'qrcode']);
  });

  it('refuses a page with two different blank numbers, and reports none on a page without a barcode', () => {
    const ambiguous = resultOf('page-two-blank-numbers-ambiguous');
    expect(ambiguous.blankNumber).toBeNull();
    expect(ambiguous.reason).toBe('ambiguous');
    const none = resultOf('page-no-barcode');
    expect(none.blankNumber).toBeNull();
    expect(none.reason).toBe('no_barcode');
  });

  it('ignores decoy codes (a URL QR code, a kit-number Code 128)', () => {
    const truth = files.find((f) => f.scenario === 'page-with-decoys')?.pages[0];
    expect(resultOf('page-with-decoys').blankNumber).toBe(truth?.blankNumber);
  });

  it('turns every page whose code was read the way its code says, and measures the skew', () => {
    let checked = 0;
    for (const file of files) {
      file.pages.forEach((truth, i) => {
        const result = results.get(file.file)?.[i];
        if (result?.blankNumber === null) return;
        // form 3 of this generator prints its code sideways to the text: the code's way up is kept on the page, and
        // the disagreement of the words is noted (the batch turns such a form as a whole: tested below)
        if (truth.formId === 3) expect(result?.diagnostics, file.file).toContain('orientation_content_disagrees');
        else expect(result?.rotation, file.file).toBe(truth.rotation);
        expect(Math.abs((result?.skewDegrees ?? 99) - truth.skew), file.file).toBeLessThan(0.6);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('sets a page without a readable code upright in the batch, against pages of its form', () => {
    const all = files.flatMap((file) => (results.get(file.file) ?? []).map((result, i) => ({ file: file.file, truth: file.pages[i], result })));
    const finalised = finaliseFill(all.map(({ result }) => result));
    all.forEach(({ file, truth, result }, index) => {
      if (result.blankNumber === null && truth?.formId !== 3) expect(finalised[index]?.rotation, file).toBe(truth?.rotation);
    });
  });

  it('turns a form that prints its code sideways as a whole, once enough of its pages say so', async () => {
    const random = createRandom(7331);
    const pages: PageAnalysis[] = [];
    const truths: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { spec } = randomSpec(random, 77_000 + i, { formId: 3, scanTurn: ([0, 0, 180, 90, 0, 270] as const)[i] ?? 0, skew: random.between(-1, 1), noise: 0, blur: 0, contrast: 1, border: false, holes: false, fold: false, decoys: [], output: { kind: 'jpeg', quality: 85, colour: false } });
      const [page] = await analyseImage((await renderPage(spec)).bytes);
      if (page === undefined) throw new Error('no page');
      pages.push(page);
      truths.push((360 - spec.scanTurn) % 360);
    }
    // alone, each page takes its code's way up: a quarter turn off, and says so
    expect(pages.filter((page) => page.diagnostics.includes('orientation_content_disagrees')).length).toBeGreaterThanOrEqual(5);
    expect(finaliseFill(pages).map((page) => page.rotation)).toEqual(truths);
  }, 120_000);

  it('orients a page without a readable code from its words, and marks it for the batch to check', () => {
    for (const name of ['page-turned-90-damaged-barcode', 'page-no-barcode']) {
      const result = resultOf(name);
      const truth = files.find((f) => f.scenario === name)?.pages[0];
      expect(result.blankNumber, name).toBeNull();
      expect(result.rotation, name).toBe(truth?.rotation);
      expect(result.diagnostics, name).toContain('orientation_from_content');
      expect(result.alternatives?.map((a) => a.rotation).sort((a, b) => a - b), name).toEqual([0, 90, 180, 270].filter((r) => r !== result.rotation));
    }
  });

  it('decodes every TIFF compression and depth, colour JPEG, and every page of a multi-page TIFF', () => {
    for (const name of ['page-tiff-none', 'page-tiff-lzw', 'page-tiff-deflate', 'page-tiff-packbits', 'page-tiff-jpeg', 'page-tiff-ccitt-g4-bilevel', 'page-tiff-16-bit', 'page-tiff-colour-lzw', 'page-colour-jpeg']) {
      const result = resultOf(name);
      expect(result.width * result.height, name).toBeGreaterThan(1_000_000);
      expect(result.blankNumber, name).not.toBeNull();
    }
    const multi = files.find((f) => f.scenario === 'multi-page-lzw');
    const pages = results.get(multi?.file ?? '') ?? [];
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages.map((p) => p.blankNumber)).toEqual(multi?.pages.map((p) => p.blankNumber));
  });

  it('flags a page far from 200 dpi but not the others', () => {
    expect(resultOf('page-dpi-300').diagnostics).toContain('dpi_far_from_200');
    expect(resultOf('page-upright-code128').diagnostics).toEqual([]);
  });

  it('gives near-identical rescans a near-identical hash and different pages a different one', () => {
    const distance = (a: string, b: string): number => {
      let d = 0;
      for (let i = 0; i < a.length; i++) {
        let x = parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16);
        while (x > 0) {
          d += x & 1;
          x >>= 1;
        }
      }
      return d;
    };
    const upright = resultOf('page-upright-code128');
    expect(upright.imageHash).toMatch(/^[0-9a-f]{64}$/);
    const other = resultOf('page-turned-90');
    expect(distance(upright.imageHash, other.imageHash)).toBeGreaterThan(20);
  });

  it('returns the upright, deskewed page as a greyscale JPEG that reads as upright', async () => {
    const file = files.find((f) => f.scenario === 'page-turned-90');
    const bytes = await readFile(join(dir, file?.file ?? ''));
    const [turned] = await analyseImage(bytes, { wantUpright: true });
    const jpeg = turned?.uprightJpeg;
    expect(jpeg).toBeInstanceOf(Uint8Array);
    if (jpeg === undefined) return;
    const meta = await sharp(jpeg).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.channels).toBe(1);
    expect(meta.height ?? 0).toBeGreaterThan(meta.width ?? 0);
    const [again] = await analyseImage(jpeg);
    expect(again?.rotation).toBe(0);
    expect(Math.abs(again?.skewDegrees ?? 9)).toBeLessThan(0.5);
    expect(again?.blankNumber).toBe(turned?.blankNumber);
    // its thumbnail, made from the same pixels: the page's shape, THUMBNAIL_WIDTH wide, grey
    const thumbnail = await sharp(turned?.uprightThumbnail ?? new Uint8Array()).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.channels]).toEqual(['jpeg', THUMBNAIL_WIDTH, 1]);
    expect(Math.abs((thumbnail.height ?? 0) / THUMBNAIL_WIDTH - (meta.height ?? 0) / (meta.width ?? 1))).toBeLessThan(0.01);
  });

  it('makes the same rendition later from the stored way up and skew, and a thumbnail alone that shows the same page', async () => {
    const file = files.find((f) => f.scenario === 'page-turned-90');
    const bytes = await readFile(join(dir, file?.file ?? ''));
    const [full] = await analyseImage(bytes, { wantUpright: true });
    const [light] = await analyseImage(bytes, { wantThumbnail: true });
    if (full?.uprightJpeg === undefined || full.uprightThumbnail === undefined || light?.uprightThumbnail === undefined) throw new Error('no rendition');
    // only the thumbnail while processing; the rendition made when the page is opened is the one analysis made
    expect(light.uprightJpeg).toBeUndefined();
    const later = await renderUprightPage(bytes, 1, light.rotation, light.skewDegrees);
    expect(Buffer.compare(Buffer.from(later), Buffer.from(full.uprightJpeg))).toBe(0);
    // the thumbnail from the reduced page: as wide, and the same picture as the one made from the full page
    const picture = (jpeg: Uint8Array) => sharp(jpeg).resize(48, 68, { fit: 'fill' }).greyscale().raw().toBuffer();
    const [a, b] = await Promise.all([picture(light.uprightThumbnail), picture(full.uprightThumbnail)]);
    expect((await sharp(light.uprightThumbnail).metadata()).width).toBe(THUMBNAIL_WIDTH);
    expect(a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length).toBeLessThan(4);
    // a thumbnail made again for another way up (the batch turned the page) is that turn of the page
    const again = await renderUprightPage(bytes, 1, ((light.rotation + 180) % 360) as 0 | 90 | 180 | 270, light.skewDegrees, 'thumbnail');
    // a row-major picture read backwards is that picture turned by a half turn
    const upsideDown = (await picture(again)).reverse();
    expect(upsideDown.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length).toBeLessThan(6);
    await expect(renderUprightPage(bytes, 2, 0, 0)).rejects.toMatchObject({ code: 'unreadable_image' });
    // 'unread': the full rendition only of a page whose code was not read (people open those to correct them)
    const pageOf = async (scenario: string) => readFile(join(dir, files.find((f) => f.scenario === scenario)?.file ?? ''));
    const [unread] = await analyseImage(await pageOf('page-no-barcode'), { wantThumbnail: true, wantUpright: 'unread' });
    const [read] = await analyseImage(await pageOf('page-upright-code128'), { wantThumbnail: true, wantUpright: 'unread' });
    expect(unread?.blankNumber).toBeNull();
    expect(unread?.uprightJpeg).toBeInstanceOf(Uint8Array);
    expect(read?.blankNumber).not.toBeNull();
    expect(read?.uprightJpeg).toBeUndefined();
    expect([unread?.uprightThumbnail, read?.uprightThumbnail].every((t) => t instanceof Uint8Array)).toBe(true);
    // each page of a multi-page TIFF by its own number
    const multi = await readFile(join(dir, files.find((f) => f.scenario === 'multi-page-lzw')?.file ?? ''));
    const pages = await analyseImage(multi, { wantUpright: true });
    expect(pages.length).toBeGreaterThan(1);
    for (const [index, page] of pages.entries()) {
      const rendered = await renderUprightPage(multi, index + 1, page.rotation, page.skewDegrees);
      expect(Buffer.compare(Buffer.from(rendered), Buffer.from(page.uprightJpeg ?? new Uint8Array())), `page ${index + 1}`).toBe(0);
    }
  });

  it('gives a square page its other turns on the same grid as its own', async () => {
    // a square sheet without a code: oriented by its content, so it carries its three other turns for the batch
    const bars = Array.from({ length: 12 }, (_, i) => `<rect x="${80 + (i % 3) * 40}" y="${90 + i * 55}" width="${300 + (i % 4) * 90}" height="14" fill="#222"/>`).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><rect width="800" height="800" fill="#f4f4f4"/>${bars}</svg>`;
    const jpeg = await sharp(Buffer.from(svg)).greyscale().jpeg().toBuffer();
    const [page] = await analyseImage(jpeg);
    expect(page?.alternatives).toHaveLength(3);
    for (const turn of page?.alternatives ?? []) {
      expect([turn.inkSignature.width, turn.inkSignature.height]).toEqual([page?.inkSignature.width, page?.inkSignature.height]);
    }
  });

  it('never misreads, however small the time budget', async () => {
    const file = files.find((f) => f.scenario === 'page-low-contrast-noisy');
    const [result] = await analyseImage(await readFile(join(dir, file?.file ?? '')), { budgetMs: 1 });
    expect([null, file?.pages[0]?.blankNumber]).toContain(result?.blankNumber);
  });

  it('follows a custom blank-number pattern', async () => {
    const file = files.find((f) => f.scenario === 'page-upright-code128');
    const [result] = await analyseImage(await readFile(join(dir, file?.file ?? '')), { pattern: /^\d{6}$/ });
    expect(result?.blankNumber).toBeNull();
    expect(result?.reason).toBe('no_barcode');
  });
});

describe('analyseImage on content that is not a page', () => {
  it.each([
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)],
    ['empty', new Uint8Array(0)],
    ['a JPEG header only', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0])],
    ['a TIFF header only', Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0])],
    ['text', new TextEncoder().encode('this is not an image')],
  ])('throws ScanError unreadable_image for %s', async (_name, bytes) => {
    const error = await analyseImage(bytes).catch((e: unknown) => e);
    expect(isScanError(error)).toBe(true);
    expect(isScanError(error) ? error.code : null).toBe('unreadable_image');
  });

  it('throws unreadable_image for a PNG (the archive side names it forbidden_format before it gets here)', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } }).png().toBuffer();
    const error = await analyseImage(new Uint8Array(png)).catch((e: unknown) => e);
    expect(isScanError(error) ? error.code : null).toBe('unreadable_image');
  });

  it("analyses the pages queued for a worker exactly as alone; a page among them that does not decode is that page's problem only", async () => {
    const analyser = createPageAnalyser({ size: 1 });
    try {
      const names = files.filter((file) => /\.jpe?g$/i.test(file.file) && file.pages.length === 1).slice(0, 3).map((file) => file.file);
      const bytesOf = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(join(dir, name)));
      // one worker: the first page runs, the rest wait for it
      const [first, broken, second, third] = await Promise.allSettled([
        analyser.analyse(await bytesOf(names[0] as string), {}, false),
        analyser.analyse(new TextEncoder().encode('\xff\xd8 not a jpeg after all'), {}, false),
        analyser.analyse(await bytesOf(names[1] as string), {}, false),
        analyser.analyse(await bytesOf(names[2] as string), {}, false),
      ]);
      expect(broken.status).toBe('rejected');
      expect(broken.status === 'rejected' && isScanError(broken.reason) ? broken.reason.code : null).toBe('unreadable_image');
      for (const [index, outcome] of [first, second, third].entries()) {
        if (outcome?.status !== 'fulfilled') throw new Error(`page ${index} failed`);
        const alone = results.get(names[index] as string);
        expect(outcome.value.pages.map(({ stageMs: _stages, ...page }) => page)).toEqual(alone);
      }
    } finally {
      await analyser.close();
    }
  }, 60_000);
});
