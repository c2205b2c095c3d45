import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_SCENARIOS, SINGLE_FILE_SCENARIOS, ensureArchiveFixtures } from '../fixtures/archives/make-archives.ts';
import type { ArchiveScenario } from '../fixtures/archives/make-archives.ts';
import { generateFormSet } from '../fixtures/forms/generate-form-set.ts';
import { generatePages } from '../fixtures/generator/generate-pages.ts';
import type { FileTruth } from '../fixtures/generator/generate-pages.ts';
import { createPageAnalyser } from './pool/create-page-analyser.ts';
import type { PageAnalyser } from './pool/create-page-analyser.ts';
import { learnFillTemplate } from './fill/finalise-fill.ts';
import { scanArchive } from './scan-archive.ts';
import type { ScanProgress, ScannedPage } from './scan-archive.ts';

let fixtures = '';
let work = '';
let analyser: PageAnalyser;

beforeAll(async () => {
  fixtures = await ensureArchiveFixtures();
  work = mkdtempSync(join(tmpdir(), 'scan-archive-test-'));
  // One pool for the whole file, as the API server keeps one: worker start-up is paid once.
  analyser = createPageAnalyser({ size: 2 });
}, 180_000);

afterAll(async () => {
  await analyser.close();
  rmSync(work, { recursive: true, force: true });
});

/** What scanArchive must say about a scenario, from the scenario's own truth: no scenario is left without one. */
function expectedOf(scenario: ArchiveScenario): { verdict: string; code: string | null; entries: Record<string, string> } {
  if (scenario.archiveCode !== null) return { verdict: 'rejected', code: scenario.archiveCode, entries: {} };
  // the archive layer sees a JPEG header on broken.jpg; decoding finds it unreadable
  const entries = { ...scenario.entries, ...(scenario.file === 'unreadable-images-inside.zip' ? { 'broken.jpg': 'unreadable_image' } : {}) };
  const kinds = Object.values(entries);
  const hasPage = kinds.includes('page');
  const hasProblem = kinds.some((kind) => kind !== 'page' && kind !== 'ignored');
  const verdict = !hasPage ? 'rejected' : hasProblem ? 'accepted_with_problems' : 'accepted';
  if (scenario.scanVerdict !== undefined) expect(scenario.scanVerdict, `${scenario.file}: the fixture table agrees with its entries`).toBe(verdict);
  return { verdict, code: verdict === 'rejected' ? (scenario.scanCode ?? null) : null, entries };
}

/** Known truth of the fixture builder beyond the scenario table: the pages of its multi-page TIFF… */
const PAGES_IN_FILE: Record<string, number> = { 'pages-1-3.tif': 3 };
/** …and the entry it wrote twice with the same bytes (the later one is the duplicate). */
const SAME_BYTES_AS: Record<string, Record<string, string>> = { 'duplicate-bytes.zip': { 'copy/page-01-again.jpg': 'page-01.jpg' } };
/** 7-Zip cannot address these names (CP866, no UTF-8 flag): their bytes are checked through the other archives. */
const NAMES_7Z_CANNOT_ADDRESS = new Set(['names-cp866-windows-explorer.zip']);

/** The sha256 of an entry as 7-Zip extracts it (an independent reader, AES included), or null when it finds none. */
function sevenZipSha256(archive: string, name: string, password: string | undefined): string | null {
  const extracted = spawnSync('7z', ['e', '-so', ...(password ? [`-p${password}`] : []), archive, name], { maxBuffer: 256 * 1024 * 1024 });
  // a damaged archive makes 7-Zip exit non-zero for its other entries; what it wrote for this one still counts
  return extracted.stdout.length > 0 ? createHash('sha256').update(extracted.stdout).digest('hex') : null;
}

describe('scanArchive on every fixture', () => {
  const seen = new Set<string>();
  for (const scenario of ARCHIVE_SCENARIOS) {
    const key = `${scenario.file}|${scenario.password ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    it(`${scenario.file}${scenario.password ? ` (password "${scenario.password}")` : ''}`, async () => {
      const expected = expectedOf(scenario);
      const archivePath = join(fixtures, scenario.file);
      const result = await scanArchive(archivePath, { password: scenario.password, analyser });
      expect(result.verdict).toBe(expected.verdict);
      expect(result.code).toBe(expected.code);
      expect(result.archive).toBe(scenario.file);
      // every entry ends as the page(s), ignored file or named problem the fixture says it is, one row per page
      const rows = result.entries.map((entry) => `${entry.path} | ${entry.page ?? '-'} | ${entry.problem ?? entry.kind}`).sort();
      const truth = Object.entries(expected.entries).flatMap(([path, kind]) =>
        kind === 'page' ? Array.from({ length: PAGES_IN_FILE[path] ?? 1 }, (_, index) => `${path} | ${index + 1} | page`) : [`${path} | - | ${kind}`],
      );
      expect(rows).toEqual(truth.sort());
      const kinds = Object.values(expected.entries);
      const pageCount = truth.filter((row) => row.endsWith('| page')).length;
      const sameBytes = SAME_BYTES_AS[scenario.file] ?? {};
      expect(result.counts).toMatchObject({
        pages: pageCount,
        // the fixture pages carry no code: any number read would be a misread
        recognized: 0,
        unrecognized: pageCount,
        duplicates: Object.keys(sameBytes).length,
        ignored: kinds.filter((kind) => kind === 'ignored').length,
        problems: kinds.filter((kind) => kind !== 'page' && kind !== 'ignored').length,
      });
      for (const entry of result.entries) expect(entry.sameBytesAs, entry.path).toBe(sameBytes[entry.path] ?? null);
      // each page holds the entry's true bytes (decrypted, inflated), as 7-Zip reads them
      if (!NAMES_7Z_CANNOT_ADDRESS.has(scenario.file)) {
        for (const entry of result.entries.filter((row) => row.kind === 'page')) {
          expect(entry.sha256, entry.path).toBe(sevenZipSha256(archivePath, entry.path, scenario.password));
        }
      }
    }, 60_000);
  }

  it('rejects an archive holding only readme.txt and desktop.ini as empty_archive, listing the txt and ignoring the ini', async () => {
    const result = await scanArchive(join(fixtures, 'only-readme-and-desktop-ini.zip'), { analyser });
    expect(result).toMatchObject({ verdict: 'rejected', code: 'empty_archive' });
    expect(result.entries.map((entry) => [entry.path, entry.kind, entry.problem])).toEqual([
      ['readme.txt', 'problem', 'forbidden_format'],
      ['desktop.ini', 'ignored', null],
    ]);
  }, 60_000);

  it('names the format when every entry is a page picture in a forbidden format (PDF scans)', async () => {
    const result = await scanArchive(join(fixtures, 'only-pdf-documents.zip'), { analyser });
    expect(result).toMatchObject({ verdict: 'rejected', code: 'forbidden_format' });
  }, 60_000);

  for (const single of SINGLE_FILE_SCENARIOS) {
    it(`single file ${single.file} → ${single.scanVerdict}`, async () => {
      const result = await scanArchive(join(fixtures, single.file), { analyser });
      expect(result.verdict).toBe(single.scanVerdict);
      if ('pages' in single) {
        expect(result.entries.map((entry) => [entry.path, entry.page])).toEqual(
          Array.from({ length: single.pages }, (_, index) => [single.file, index + 1]),
        );
      } else {
        expect(result.code).toBe(single.code);
      }
    }, 60_000);
  }

  it('names the unreadable JPEG (it has a JPEG header, decoding fails) and keeps the good page', async () => {
    const result = await scanArchive(join(fixtures, 'unreadable-images-inside.zip'), { analyser });
    const byPath = Object.fromEntries(result.entries.map((entry) => [entry.path, entry.problem ?? entry.kind]));
    expect(byPath).toEqual({ 'page-01.jpg': 'page', 'broken.jpg': 'unreadable_image', 'text-named-as-page.jpg': 'unreadable_image', 'empty.tif': 'unreadable_image' });
  }, 60_000);

  it('never puts the password into the result', async () => {
    const result = await scanArchive(join(fixtures, 'aes256-password-is-secret.zip'), { password: 'secret', analyser });
    expect(result.verdict).toBe('accepted');
    const wrong = await scanArchive(join(fixtures, 'aes256-password-is-secret.zip'), { password: 'hunter2-wrong', analyser });
    expect(JSON.stringify(result)).not.toContain('secret"');
    expect(JSON.stringify(wrong)).not.toContain('hunter2');
  }, 60_000);
});

describe('scanArchive with generated scans', () => {
  let truth: FileTruth[] = [];
  let archive = '';

  beforeAll(async () => {
    const pages = join(work, 'pages');
    truth = await generatePages(pages, 3, 7);
    const [first, second, third] = truth.map((file) => readFileSync(join(pages, file.file)));
    if (!first || !second || !third) throw new Error('generator gave fewer pages');
    const tree = join(work, 'tree');
    for (const folder of ['a', 'b', 'c', 'd', 'e']) mkdirSync(join(tree, folder), { recursive: true });
    // The same blank scanned twice (different bytes), and a file sent twice (same bytes).
    writeFileSync(join(tree, 'a/first.jpg'), second);
    writeFileSync(join(tree, 'b/rescan.jpg'), await sharp(second).jpeg({ quality: 70 }).toBuffer());
    writeFileSync(join(tree, 'c/copy.jpg'), second);
    writeFileSync(join(tree, 'd/other.tif'), first);
    writeFileSync(join(tree, 'e/turned.tif'), third);
    archive = join(work, 'generated-scans.zip');
    execFileSync('zip', ['-q', '-X', archive, 'a/first.jpg', 'b/rescan.jpg', 'c/copy.jpg', 'd/other.tif', 'e/turned.tif'], { cwd: tree });
  }, 120_000);

  it('reads the numbers, marks the same number and the same bytes as duplicates of the earlier page', async () => {
    const expected = truth.map((file) => file.pages[0]);
    const result = await scanArchive(archive, { analyser });
    const rows = Object.fromEntries(result.entries.map((entry) => [entry.path, entry]));
    expect(result.verdict).toBe('accepted');
    expect(rows['a/first.jpg']?.blankNumber).toBe(expected[1]?.blankNumber);
    expect(rows['a/first.jpg']?.duplicateOf).toBeNull();
    expect(rows['b/rescan.jpg']?.blankNumber).toBe(expected[1]?.blankNumber);
    expect(rows['b/rescan.jpg']?.duplicateOf).toBe('a/first.jpg');
    expect(rows['b/rescan.jpg']?.sameBytesAs).toBeNull();
    expect(rows['c/copy.jpg']?.duplicateOf).toBe('a/first.jpg');
    expect(rows['c/copy.jpg']?.sameBytesAs).toBe('a/first.jpg');
    expect(rows['d/other.tif']?.blankNumber).toBe(expected[0]?.blankNumber);
    expect(rows['e/turned.tif']?.blankNumber).toBe(expected[2]?.blankNumber);
    expect(rows['e/turned.tif']?.rotation).toBe(expected[2]?.rotation);
    expect(result.counts).toMatchObject({ pages: 5, recognized: 5, unrecognized: 0, duplicates: 2, problems: 0 });
  }, 60_000);

  it('hands every page to onPage with the entry bytes, and reports progress to the end', async () => {
    const stored: ScannedPage[] = [];
    let last: ScanProgress | null = null;
    const result = await scanArchive(archive, {
      analyser,
      wantUpright: true,
      onPage: async (page) => {
        stored.push(page);
      },
      onProgress: (progress) => {
        last = progress;
      },
    });
    expect(stored.map((page) => page.path).sort()).toEqual(['a/first.jpg', 'b/rescan.jpg', 'c/copy.jpg', 'd/other.tif', 'e/turned.tif']);
    for (const page of stored) {
      expect(createHash('sha256').update(page.bytes).digest('hex')).toBe(page.sha256);
      expect(page.analysis.uprightJpeg?.length ?? 0).toBeGreaterThan(1000);
      expect(page.analysis.uprightThumbnail?.length ?? 0).toBeGreaterThan(500);
    }
    // the last word is the batch decision, after every page is in
    expect(last).toMatchObject({ stage: 'batch', entriesDone: 5, entriesTotal: 5, pagesAnalysed: 5 });
    // The result itself carries no page images and no ink signatures: it stays small however big the archive.
    const pages = result.entries.filter((entry) => entry.analysis !== null);
    expect(pages).toHaveLength(5);
    for (const entry of pages) {
      expect(entry.analysis).not.toHaveProperty('uprightJpeg');
      expect(entry.analysis).not.toHaveProperty('uprightThumbnail');
      expect(entry.analysis).not.toHaveProperty('inkSignature');
    }
  }, 60_000);

  it('judges pages against a registered template as their truth says, from the signatures it kept packed', async () => {
    // a blank type registered from two empty scans; then an archive of one empty and two written sheets of it,
    // drawn by the independent form generator, the written ones with as little writing as it draws
    const sheets = join(work, 'template-sheets');
    const set = await generateFormSet(sheets, { seed: 31, perDesign: 12, designs: ['answer-grid'] });
    const empties = set.sheets.filter((sheet) => !sheet.filled && sheet.readable);
    const written = [...set.sheets.filter((sheet) => sheet.writing === 'one'), ...set.sheets.filter((sheet) => sheet.writing === 'some')];
    const judged = [...empties.slice(2, 3), ...written.slice(0, 2)];
    expect(empties.length).toBeGreaterThanOrEqual(3);
    expect(judged).toHaveLength(3);
    const registered = await Promise.all(empties.slice(0, 2).map(async (sheet) => (await analyser.analyse(readFileSync(join(sheets, sheet.file)), {}, false)).pages));
    const template = learnFillTemplate(registered.flat());
    expect(template).not.toBeNull();
    if (template === null) return;
    const archive = join(work, 'template-batch.zip');
    execFileSync('zip', ['-q', '-X', archive, ...judged.map((sheet) => sheet.file)], { cwd: sheets });
    const result = await scanArchive(archive, { analyser, template });
    expect(result.entries.map((entry) => [entry.path, entry.fill])).toEqual(judged.map((sheet) => [sheet.file, sheet.filled ? 'filled' : 'empty']));
  }, 120_000);

  it('uses --pattern: a number that does not match is not a blank number', async () => {
    const result = await scanArchive(archive, { analyser, pattern: /^9{17}$/ });
    expect(result.counts.recognized).toBe(0);
    expect(result.verdict).toBe('accepted');
  }, 60_000);
});
