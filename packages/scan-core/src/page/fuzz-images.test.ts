/**
 * Random mutations of valid JPEG and TIFF pages (flipped bytes, overwritten runs, truncation, spliced headers):
 * analyseImage must answer within a bound, never crash, fail only with ScanError('unreadable_image'), read no number
 * from a page without a code, and still read the unmutated page exactly as before.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../fixtures/generator/random.ts';
import { isScanError } from '../errors.ts';
import type { PageAnalysis } from '../shared/types.ts';
import { analyseImage } from './analyse-image.ts';

const MUTATIONS_PER_FORMAT = 120;
const BOUND_MS = 5_000;
/** The unmutated page is analysed again after every this many mutants. */
const PRISTINE_EVERY = 10;
const seeds: Record<string, Uint8Array> = {};

beforeAll(async () => {
  // a small page with print-like structure and a code-like patch, so mutations reach the decoders' deeper paths
  const width = 400;
  const height = 560;
  const pixels = Buffer.alloc(width * height, 240);
  for (let y = 40; y < height - 40; y += 24) for (let x = 30; x < width - 30; x++) if ((x >> 3) % 3 !== 0) pixels[y * width + x] = 20;
  for (let y = 60; y < 120; y++) for (let x = 250; x < 370; x++) if ((x >> 1) % 3 === 0) pixels[y * width + x] = 0;
  const raw = { raw: { width, height, channels: 1 as const } };
  seeds.jpeg = new Uint8Array(await sharp(pixels, raw).toColourspace('b-w').jpeg({ quality: 80 }).toBuffer());
  seeds.tiffLzw = new Uint8Array(await sharp(pixels, raw).toColourspace('b-w').tiff({ compression: 'lzw' }).toBuffer());
  seeds.tiffG4 = new Uint8Array(await sharp(pixels, raw).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer());
});

function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  const random = createRandom(seed);
  let out = bytes.slice();
  const kind = random.int(0, 4);
  if (kind === 0) {
    for (let i = 0, n = random.int(1, 12); i < n; i++) out[random.int(0, out.length - 1)] = random.int(0, 255);
  } else if (kind === 1) {
    const at = random.int(0, out.length - 1);
    out.fill(random.pick([0, 0xff, random.int(0, 255)]), at, Math.min(out.length, at + random.int(1, 400)));
  } else if (kind === 2) {
    out = out.slice(0, random.int(0, out.length - 1));
  } else if (kind === 3) {
    // flip bits in the header, where sizes and offsets live
    for (let i = 0, n = random.int(1, 6); i < n; i++) {
      const at = random.int(0, Math.min(out.length - 1, 200));
      out[at] = (out[at] ?? 0) ^ (1 << random.int(0, 7));
    }
  } else {
    const at = random.int(0, out.length - 1);
    const chunk = out.slice(random.int(0, out.length - 1), random.int(0, out.length - 1));
    out = Uint8Array.from([...out.slice(0, at), ...chunk, ...out.slice(at)]);
  }
  return out;
}

/** The fields that say what a page is: a mutant must not change how the pristine page reads afterwards. */
function fingerprint(pages: readonly PageAnalysis[]): unknown[] {
  return pages.map((page) => [page.width, page.height, page.rotation, page.fill, page.blankNumber, page.imageHash]);
}

describe('analyseImage under random corruption', () => {
  it.each(['jpeg', 'tiffLzw', 'tiffG4'])('%s: refuses only with unreadable_image, reads no number, answers in time and keeps reading the pristine page', async (format) => {
    const seed = seeds[format];
    if (seed === undefined) throw new Error('no seed image');
    const pristine = fingerprint(await analyseImage(seed.slice(), { budgetMs: 200 }));
    expect(pristine).toHaveLength(1);
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < MUTATIONS_PER_FORMAT; i++) {
      const bytes = mutate(seed, i * 7 + format.length);
      const started = performance.now();
      try {
        const pages = await analyseImage(bytes, { budgetMs: 200 });
        // a mutant that decodes is a page like any other: sane sizes and calls, and, the seed page carrying no code,
        // no number (any number read from a mutant would be a misread)
        for (const page of pages) {
          expect(page.width).toBeGreaterThan(0);
          expect(page.height).toBeGreaterThan(0);
          expect([0, 90, 180, 270]).toContain(page.rotation);
          expect(['filled', 'empty']).toContain(page.fill);
          expect(page.blankNumber).toBeNull();
        }
        decoded++;
      } catch (error) {
        expect(isScanError(error), String(error)).toBe(true);
        expect(isScanError(error) ? error.code : null).toBe('unreadable_image');
        refused++;
      }
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      // the decoders are not left in a bad state by what they refused: the valid page still reads exactly as before
      if (i % PRISTINE_EVERY === PRISTINE_EVERY - 1) expect(fingerprint(await analyseImage(seed.slice(), { budgetMs: 200 }))).toEqual(pristine);
    }
    // the mutations reach both ways out: some are refused, and a damaged file is not refused wholesale
    expect(refused).toBeGreaterThan(0);
    expect(decoded).toBeGreaterThan(0);
  }, 120_000);
});
