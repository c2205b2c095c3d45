/**
 * The page side of `pnpm bench`: decode floor, whole analysis, naive zxing baseline, ladder histogram and accuracy
 * against the generator's ground truth. Exported so other benchmark parts can reuse the rows.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCodesNaively } from '../src/barcode/zxing-reader.ts';
import { finaliseFill } from '../src/fill/finalise-fill.ts';
import { decodeGreyPage, decodeRgbaPage, probeImage } from '../src/image/sharp-codec.ts';
import { analyseImage } from '../src/page/analyse-image.ts';
import type { PageAnalysis } from '../src/shared/types.ts';
import type { FileTruth, PageTruth } from '../fixtures/generator/generate-pages.ts';

export interface PageBenchResult {
  rows: Record<string, number | string>;
  ladder: Record<string, number>;
  failures: string[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

export async function runPageBench(pagesDir: string, options: { naive?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<PageBenchResult> {
  const manifest = JSON.parse(await readFile(join(pagesDir, 'manifest.json'), 'utf8')) as { files: FileTruth[] };
  const decodeMs: number[] = [];
  const analyseMs: number[] = [];
  const naiveMs: number[] = [];
  const analyses: Array<{ file: string; truth: PageTruth; result: PageAnalysis }> = [];
  let naiveRead = 0;
  let naiveReadable = 0;
  // warm up the wasm module and the JIT on one page so the first timings are not compile time
  const first = manifest.files[0];
  if (first !== undefined) await analyseImage(await readFile(join(pagesDir, first.file)));
  let done = 0;
  for (const file of manifest.files) {
    const bytes = await readFile(join(pagesDir, file.file));
    // interleaved per page, so (a), (b) and (c) see the same machine load
    const t0 = performance.now();
    const info = await probeImage(bytes);
    for (let p = 0; p < info.pages; p++) await decodeGreyPage(bytes, p, info.dpi);
    const t1 = performance.now();
    const results = await analyseImage(bytes);
    const t2 = performance.now();
    decodeMs.push((t1 - t0) / info.pages);
    analyseMs.push((t2 - t1) / info.pages);
    if (options.naive !== false) {
      const t3 = performance.now();
      const texts: string[] = [];
      for (let p = 0; p < info.pages; p++) {
        const rgba = await decodeRgbaPage(bytes, p);
        texts.push(...(await readCodesNaively(rgba.data, rgba.width, rgba.height)));
      }
      naiveMs.push((performance.now() - t3) / info.pages);
      for (const truth of file.pages) {
        if (!truth.readable || truth.ambiguous || truth.blankNumber === null) continue;
        naiveReadable++;
        const number = truth.blankNumber;
        if (texts.some((t) => t === number || t.startsWith(number))) naiveRead++;
      }
    }
    results.forEach((result, i) => {
      const truth = file.pages[i];
      if (truth !== undefined) analyses.push({ file: file.file, truth, result });
    });
    options.onProgress?.(++done, manifest.files.length);
  }
  const finaliseStarted = performance.now();
  const finalised = finaliseFill(analyses.map((a) => a.result));
  const finaliseMs = performance.now() - finaliseStarted;
  const ladder: Record<string, number> = {};
  const failures: string[] = [];
  let readable = 0;
  let read = 0;
  let misreads = 0;
  let ambiguousPages = 0;
  let ambiguousCaught = 0;
  let rotated = 0;
  let rotatedUpright = 0;
  let upright = 0;
  let uprightPerPage = 0;
  let filledPages = 0;
  let emptyPages = 0;
  let filledCalledEmpty = 0;
  let emptyCalledFilled = 0;
  const skewErrors: number[] = [];
  analyses.forEach(({ file, truth, result }, i) => {
    const final = finalised[i] ?? result;
    const step = result.readStep ?? 'none';
    ladder[step] = (ladder[step] ?? 0) + 1;
    if (truth.ambiguous) {
      ambiguousPages++;
      if (result.blankNumber === null && result.reason === 'ambiguous') ambiguousCaught++;
      else if (result.blankNumber !== null) {
        misreads++;
        failures.push(`${file}: ambiguous page read as ${result.blankNumber}`);
      }
    } else if (result.blankNumber !== null && result.blankNumber !== truth.blankNumber) {
      misreads++;
      failures.push(`${file}: MISREAD ${result.blankNumber} (truth ${String(truth.blankNumber)})`);
    }
    if (truth.readable && !truth.ambiguous) {
      readable++;
      if (result.blankNumber === truth.blankNumber) read++;
      else failures.push(`${file}: not read (${String(truth.symbology)}, ${truth.blankNumber ?? ''})`);
    }
    // orientation as finally decided (finaliseFill may turn a page its content alone oriented)
    if (result.rotation === truth.rotation) uprightPerPage++;
    if (final.rotation === truth.rotation) upright++;
    if (truth.rotation !== 0) {
      rotated++;
      if (final.rotation === truth.rotation) rotatedUpright++;
      else failures.push(`${file}: rotation ${final.rotation}, truth ${truth.rotation}`);
    } else if (final.rotation !== 0) failures.push(`${file}: rotation ${final.rotation}, truth 0`);
    skewErrors.push(Math.abs(result.skewDegrees - truth.skew));
    if (truth.filled) {
      filledPages++;
      if (final.fill === 'empty') {
        filledCalledEmpty++;
        failures.push(`${file}: filled (${truth.handwriting}) called empty, ink ${final.inkScore}`);
      }
    } else {
      emptyPages++;
      if (final.fill === 'filled') {
        emptyCalledFilled++;
        failures.push(`${file}: empty called filled, ink ${final.inkScore}`);
      }
    }
  });
  const a = median(decodeMs);
  const b = median(analyseMs);
  const c = median(naiveMs);
  const fillRight = filledPages + emptyPages - filledCalledEmpty - emptyCalledFilled;
  const rows: Record<string, number | string> = {
    pages: analyses.length,
    '(a) decode-only floor, median ms/page': round(a),
    '(b) analyseImage, median ms/page': round(b),
    '(b) analyseImage, p90 ms/page': round(percentile(analyseMs, 0.9)),
    'b/a': round(b / a, 2),
  };
  if (naiveMs.length > 0) {
    rows['(c) naive zxing full page, median ms/page'] = round(c);
    rows['c/b'] = round(c / b, 2);
    rows['naive recognition of readable barcodes, %'] = round((100 * naiveRead) / Math.max(1, naiveReadable), 2);
  }
  Object.assign(rows, {
    'readable barcodes': readable,
    'recognition of readable barcodes, %': round((100 * read) / Math.max(1, readable), 2),
    misreads,
    'ambiguous pages caught': `${ambiguousCaught}/${ambiguousPages}`,
    'orientation right, % of all pages': round((100 * upright) / Math.max(1, analyses.length), 2),
    'orientation right before batch check, %': round((100 * uprightPerPage) / Math.max(1, analyses.length), 2),
    'rotated pages (90/180/270) upright': `${rotatedUpright}/${rotated}`,
    'skew error, median degrees': round(median(skewErrors), 2),
    'fill right, %': round((100 * fillRight) / Math.max(1, analyses.length), 2),
    'finaliseFill on the batch, ms per page': round(finaliseMs / Math.max(1, analyses.length), 2),
    'filled called empty': `${filledCalledEmpty}/${filledPages}`,
    'empty called filled': `${emptyCalledFilled}/${emptyPages}`,
  });
  return { rows, ladder, failures };
}
