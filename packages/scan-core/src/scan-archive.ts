import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { ArchiveLimits } from './archive/archive-limits.ts';
import { resolveArchiveLimits } from './archive/archive-limits.ts';
import { openArchive } from './archive/open-archive.ts';
import type { OpenedArchive } from './archive/open-archive.ts';
import { readArchiveEntries } from './archive/read-archive-entries.ts';
import type { EntryOutcome, IgnoredReason } from './archive/read-archive-entries.ts';
import { PAGE_PICTURE_FORMATS, sniffContent } from './archive/sniff-content.ts';
import { ScanError, isScanError } from './errors.ts';
import type { ArchiveCode, EntryCode } from './errors.ts';
import { finaliseFill } from './fill/finalise-fill.ts';
import type { FillState, FillTemplate, PageAnalysis, Rotation, Symbology } from './shared/types.ts';
import { createSignatureStore } from './fill/signature-store.ts';
import type { SignatureStore } from './fill/signature-store.ts';
import { createPageAnalyser } from './pool/create-page-analyser.ts';
import type { PageAnalyser } from './pool/create-page-analyser.ts';

export type Verdict = 'accepted' | 'accepted_with_problems' | 'rejected';

/** A page's analysis as the result keeps it: an archive of thousands of pages must not hold 60 KB a page. */
export type PageSummary = Omit<PageAnalysis, 'inkSignature' | 'uprightJpeg' | 'alternatives'>;

/** One row of the result: a page of a scan file, an ignored system file, or an entry with a problem. */
export interface ScanEntry {
  /** the entry name as the person wrote it */
  path: string;
  kind: 'page' | 'ignored' | 'problem';
  problem: EntryCode | null;
  /** why it is ignored or what is wrong, in words (not part of the stable contract) */
  detail: string | null;
  /** 1-based page within a multi-page TIFF */
  page: number | null;
  blankNumber: string | null;
  symbology: Symbology | null;
  rotation: Rotation | null;
  fill: FillState | null;
  inkScore: number | null;
  /** of the entry's bytes */
  sha256: string | null;
  /** the earlier page with the same blank number, or with identical bytes when it has no number */
  duplicateOf: string | null;
  /** the earlier entry with byte-identical content (a re-sent file), whatever its number */
  sameBytesAs: string | null;
  /** the page analysis, without the upright image and the ink signature (kept packed while the scan runs) */
  analysis: PageSummary | null;
}

export interface ScanCounts {
  pages: number;
  recognized: number;
  unrecognized: number;
  empty: number;
  duplicates: number;
  ignored: number;
  problems: number;
}

/** Where the time went, when asked for (ScanArchiveOptions.profile): summed over all pages, milliseconds. */
export interface ScanProfile {
  pages: number;
  /** 'read' (archive reading, inflating, hashing the bytes; main thread), the page stages (worker threads), 'batch' */
  stageMs: Record<string, number>;
}

export interface ScanResult {
  archive: string;
  verdict: Verdict;
  /** the archive-level rejection, or for an archive without pages the most specific entry problem */
  code: ArchiveCode | EntryCode | null;
  detail: string | null;
  entries: ScanEntry[];
  counts: ScanCounts;
  seconds: number;
  /** only when ScanArchiveOptions.profile */
  profile?: ScanProfile;
}

export interface ScanProgress {
  /** 'pages' while entries are read and pages analysed; 'batch' once all are in and filled / empty is decided */
  stage: 'pages' | 'batch';
  entriesDone: number;
  entriesTotal: number;
  pagesAnalysed: number;
  currentPath: string | null;
}

/** A page as soon as it is analysed, for a caller that stores pages while the scan goes on. */
export interface ScannedPage {
  path: string;
  /** position of the entry in the archive */
  entryIndex: number;
  page: number;
  /** the entry's original bytes (shared by the pages of one multi-page TIFF) */
  bytes: Uint8Array;
  sha256: string;
  /**
   * The page's analysis. Its fill is provisional: the batch-level decision (learning the printed form from the
   * other pages) is only in the final ScanResult.
   */
  analysis: PageAnalysis;
}

export interface ScanArchiveOptions {
  /** used in memory only: never stored, never logged */
  password?: string;
  /** blank-number pattern; default DEFAULT_BLANK_PATTERN */
  pattern?: RegExp;
  /** the name the person gave the file when `path` is a temporary file */
  fileName?: string;
  limits?: Partial<ArchiveLimits>;
  /** produce the upright page JPEG (ScannedPage.analysis.uprightJpeg) for storage */
  wantUpright?: boolean;
  budgetMs?: number;
  template?: FillTemplate;
  /** a long-lived analyser (the API server keeps one); by default one is created and closed per call */
  analyser?: PageAnalyser;
  /** worker threads when no analyser is given; default every core */
  workers?: number;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Called for every page as it is analysed (in completion order), awaited: a slow store slows the scan instead
   * of piling pages up in memory. When the final result is rejected (a fault found late, e.g. a bomb further
   * on), the caller must discard what it stored.
   */
  onPage?: (page: ScannedPage) => void | Promise<void>;
  /** time every stage of every page (ScanResult.profile), for the benchmark */
  profile?: boolean;
}

/** Pages in flight (read, queued, being analysed, being stored) may hold at most this many bytes together. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/** When no page is left, the rejection names what most entries suffered; ties go to the most telling cause. */
const EMPTY_CAUSE_PRIORITY: readonly EntryCode[] = ['nested_archive', 'unreadable_image', 'corrupt_entry', 'forbidden_format', 'unsafe_path'];

const IGNORED_DETAIL: Record<IgnoredReason, string> = {
  system_file: 'system file',
  macos_metadata: 'macOS metadata',
  empty_folder: 'empty folder',
};

function blankRow(path: string, kind: ScanEntry['kind']): ScanEntry {
  return {
    path,
    kind,
    problem: null,
    detail: null,
    page: null,
    blankNumber: null,
    symbology: null,
    rotation: null,
    fill: null,
    inkScore: null,
    sha256: null,
    duplicateOf: null,
    sameBytesAs: null,
    analysis: null,
  };
}

function problemRow(path: string, code: EntryCode, detail: string, sha256: string | null = null): ScanEntry {
  return { ...blankRow(path, 'problem'), problem: code, detail, sha256 };
}

function pageRow(path: string, sha256: string, analysis: PageAnalysis): ScanEntry {
  const { uprightJpeg: _upright, inkSignature: _signature, alternatives: _alternatives, ...kept } = analysis;
  return {
    ...blankRow(path, 'page'),
    page: analysis.page,
    blankNumber: analysis.blankNumber,
    symbology: analysis.symbology,
    rotation: analysis.rotation,
    fill: analysis.fill,
    inkScore: analysis.inkScore,
    sha256,
    analysis: kept,
  };
}

function emptyCounts(): ScanCounts {
  return { pages: 0, recognized: 0, unrecognized: 0, empty: 0, duplicates: 0, ignored: 0, problems: 0 };
}

function countRows(entries: readonly ScanEntry[]): ScanCounts {
  const counts = emptyCounts();
  for (const entry of entries) {
    if (entry.kind === 'ignored') counts.ignored++;
    else if (entry.kind === 'problem') counts.problems++;
    else {
      counts.pages++;
      if (entry.blankNumber !== null) counts.recognized++;
      else counts.unrecognized++;
      if (entry.fill === 'empty') counts.empty++;
      if (entry.duplicateOf !== null) counts.duplicates++;
    }
  }
  return counts;
}

/** A page's signatures under other turns (pages oriented by their content only), kept packed like its own. */
interface StoredAlternative {
  rotation: Rotation;
  imageHash: string;
}

/** The batch-level fill decision replaces each page's provisional one; the batch may also turn content-oriented pages. */
function applyFinalFill(pages: ScanEntry[], signatures: SignatureStore<object>, alternatives: Map<ScanEntry, StoredAlternative[]>, template: FillTemplate | undefined): void {
  const analyses: PageAnalysis[] = [];
  for (const row of pages) {
    const inkSignature = signatures.get(row);
    if (row.analysis === null || inkSignature === undefined) return;
    const turns = (alternatives.get(row) ?? []).flatMap((stored) => {
      const signature = signatures.get(stored);
      return signature === undefined ? [] : [{ rotation: stored.rotation, imageHash: stored.imageHash, inkSignature: signature }];
    });
    analyses.push({ ...row.analysis, inkSignature, ...(turns.length > 0 ? { alternatives: turns } : {}) });
  }
  if (analyses.length === 0) return;
  const finalised = finaliseFill(analyses, template ? { template } : {});
  pages.forEach((row, index) => {
    const decided = finalised[index];
    if (!decided) return;
    const { inkSignature: _signature, uprightJpeg: _upright, alternatives: _alternatives, ...kept } = decided;
    row.analysis = kept;
    row.fill = decided.fill;
    row.inkScore = decided.inkScore;
    // the batch may also turn a page that only its content had oriented (rotation_corrected_by_batch)
    row.rotation = decided.rotation;
  });
}

/** Same number on two pages → the later one duplicates the earlier; identical bytes are reported too. */
function markDuplicates(pages: ScanEntry[]): void {
  const byNumber = new Map<string, string>();
  const byBytes = new Map<string, { path: string }>();
  for (const row of pages) {
    if (row.sha256 !== null) {
      const earlier = byBytes.get(row.sha256);
      // Pages of one multi-page TIFF share the file's hash; only another entry is a re-sent copy.
      if (earlier && earlier.path !== row.path) row.sameBytesAs = earlier.path;
      else if (!earlier) byBytes.set(row.sha256, { path: row.path });
    }
    if (row.blankNumber !== null) {
      const earlier = byNumber.get(row.blankNumber);
      if (earlier !== undefined) row.duplicateOf = earlier;
      else byNumber.set(row.blankNumber, row.path);
    } else if (row.sameBytesAs !== null) {
      row.duplicateOf = row.sameBytesAs;
    }
  }
}

/**
 * Why an archive without a single page is rejected. Entries that might have been pages and could not be taken (an
 * inner archive, a broken image, a damaged or unsafe entry, a page picture in another format) name the cause, the
 * most frequent first, ties to the most telling. Anything else — text files, office documents, system junk, nothing
 * at all — means there was no page to begin with: empty_archive.
 */
function rejectionForNoPages(entries: readonly ScanEntry[], pagePictures: ReadonlySet<string>): { code: ArchiveCode | EntryCode; detail: string } {
  const tally = new Map<EntryCode, number>();
  for (const entry of entries) {
    if (entry.problem === null) continue;
    if (entry.problem === 'forbidden_format' && !pagePictures.has(entry.path)) continue;
    tally.set(entry.problem, (tally.get(entry.problem) ?? 0) + 1);
  }
  const [first] = [...tally.entries()].sort(
    ([codeA, countA], [codeB, countB]) => countB - countA || EMPTY_CAUSE_PRIORITY.indexOf(codeA) - EMPTY_CAUSE_PRIORITY.indexOf(codeB),
  );
  if (first === undefined) return { code: 'empty_archive', detail: 'no JPEG or TIFF page in the archive' };
  return { code: first[0], detail: 'no JPEG or TIFF page could be taken from the archive' };
}

async function readHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, 512));
    await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

async function* singleFileOutcomes(path: string, fileName: string): AsyncGenerator<EntryOutcome> {
  const handle = await open(path, 'r');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
  const sniffed = sniffContent(bytes.subarray(0, 512));
  if (sniffed.kind === 'jpeg' || sniffed.kind === 'tiff') {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    yield { kind: 'page', index: 0, path: fileName, format: sniffed.kind, bytes, sha256 };
  } else {
    yield { kind: 'problem', index: 0, path: fileName, code: 'unreadable_image', detail: 'not a JPEG or TIFF image inside' };
  }
}

/**
 * Checks an archive (or a single .jpg/.tif page) the way the collector does: archive-level verdict, every entry
 * as a page, an ignored file or a problem, every page analysed on the worker pool (all cores), duplicates inside
 * the archive, counts. Memory stays bounded: entries are read one at a time and a bounded number of pages is in
 * flight. Bad input never throws: it is the verdict. Only I/O failures on `path` itself and onPage errors throw.
 */
export async function scanArchive(path: string, options: ScanArchiveOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const fileName = options.fileName ?? basename(path);
  const limits = resolveArchiveLimits(options.limits);
  const finish = (partial: Omit<ScanResult, 'seconds' | 'archive'>): ScanResult => ({
    archive: fileName,
    ...partial,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  });
  const rejected = (error: ScanError): ScanResult =>
    finish({ verdict: 'rejected', code: error.code, detail: error.message, entries: [], counts: emptyCounts() });

  const { head, size } = await readHead(path);
  const sniffed = sniffContent(head);
  const pageNamed = /\.(jpe?g|jfif|tiff?)$/i.test(fileName);
  const single = sniffed.kind === 'jpeg' || sniffed.kind === 'tiff' || (pageNamed && sniffed.kind !== 'archive');
  let archive: OpenedArchive | null = null;
  if (single) {
    if (size > limits.maxArchiveBytes) return rejected(new ScanError('archive_too_large', `${size} bytes, more than ${limits.maxArchiveBytes}`));
  } else {
    try {
      archive = await openArchive(path, { password: options.password, limits, fileName });
    } catch (error) {
      if (isScanError(error)) return rejected(error);
      throw error;
    }
  }

  const analyser = options.analyser ?? createPageAnalyser({ size: options.workers });
  const ownAnalyser = options.analyser === undefined;
  const analyseOptions = {
    ...(options.pattern ? { pattern: options.pattern } : {}),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.template ? { template: options.template } : {}),
    wantUpright: options.wantUpright === true,
    ...(options.profile === true ? { profile: true } : {}),
  };
  const stageMs: Record<string, number> = {};
  const addStage = (stage: string, ms: number): void => {
    stageMs[stage] = (stageMs[stage] ?? 0) + ms;
  };
  const rows: ScanEntry[][] = [];
  const signatures = createSignatureStore<object>();
  const alternatives = new Map<ScanEntry, StoredAlternative[]>();
  /** forbidden_format entries that are page pictures in another format (PDF, PNG, HEIC…) */
  const pagePictures = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let inFlightBytes = 0;
  const maxInFlight = analyser.size + 1;
  let entriesDone = 0;
  let pagesAnalysed = 0;
  let abandoned = false;
  let storeError: unknown = null;
  const entriesTotal = archive ? archive.entries.length : 1;
  const report = (currentPath: string | null, stage: ScanProgress['stage'] = 'pages'): void =>
    options.onProgress?.({ stage, entriesDone, entriesTotal, pagesAnalysed, currentPath });

  const submit = (outcome: Extract<EntryOutcome, { kind: 'page' }>, slot: number): void => {
    const size = outcome.bytes.length;
    inFlightBytes += size;
    const job = (async () => {
      try {
        const { pages, bytes } = await analyser.analyse(outcome.bytes, analyseOptions, options.onPage !== undefined);
        for (const analysis of pages) for (const [stage, ms] of Object.entries(analysis.stageMs ?? {})) addStage(stage, ms);
        rows[slot] =
          pages.length > 0
            ? pages.map((analysis) => {
                const row = pageRow(outcome.path, outcome.sha256, analysis);
                signatures.add(row, analysis.inkSignature);
                if (analysis.alternatives !== undefined) {
                  const kept = analysis.alternatives.map((turn) => {
                    const stored: StoredAlternative = { rotation: turn.rotation, imageHash: turn.imageHash };
                    signatures.add(stored, turn.inkSignature);
                    return stored;
                  });
                  alternatives.set(row, kept);
                }
                return row;
              })
            : [problemRow(outcome.path, 'unreadable_image', 'the image holds no page', outcome.sha256)];
        if (options.onPage && bytes && !abandoned) {
          for (const analysis of pages) {
            await options.onPage({ path: outcome.path, entryIndex: outcome.index, page: analysis.page, bytes, sha256: outcome.sha256, analysis });
          }
        }
      } catch (error) {
        if (isScanError(error)) rows[slot] = [problemRow(outcome.path, error.code as EntryCode, error.message, outcome.sha256)];
        else storeError ??= error;
      } finally {
        inFlightBytes -= size;
        pagesAnalysed++;
        report(outcome.path);
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  // the signature store may hold a temporary file: it is closed however the scan ends
  try {
    let lateFault: ScanError | null = null;
    try {
      const outcomes = archive ? readArchiveEntries(archive, { password: options.password }) : singleFileOutcomes(path, fileName);
      // reading (inflating, hashing) happens while the loop waits for the next outcome
      let readStarted = performance.now();
      for await (const outcome of outcomes) {
        addStage('read', performance.now() - readStarted);
        const slot = rows.length;
        rows.push([]);
        if (outcome.kind === 'ignored') rows[slot] = [{ ...blankRow(outcome.path, 'ignored'), detail: IGNORED_DETAIL[outcome.reason] }];
        else if (outcome.kind === 'problem') {
          rows[slot] = [problemRow(outcome.path, outcome.code, outcome.detail)];
          if (outcome.code === 'forbidden_format' && outcome.format !== undefined && PAGE_PICTURE_FORMATS.has(outcome.format)) pagePictures.add(outcome.path);
        }
        else {
          // Backpressure: hold the archive reader while enough pages are waiting for a worker.
          while (inFlight.size >= maxInFlight || (inFlight.size > 0 && inFlightBytes + outcome.bytes.length > MAX_IN_FLIGHT_BYTES)) {
            await Promise.race(inFlight);
          }
          submit(outcome, slot);
        }
        entriesDone++;
        report(outcome.path);
        if (storeError) break;
        readStarted = performance.now();
      }
    } catch (error) {
      if (!isScanError(error)) throw error;
      lateFault = error;
      abandoned = true;
    } finally {
      await Promise.allSettled([...inFlight]);
      await archive?.close();
      if (ownAnalyser) await analyser.close();
    }
    const entries = rows.flat();
    const pages = entries.filter((entry) => entry.kind === 'page');
    if (storeError) throw storeError;
    if (lateFault) return rejected(lateFault);
    // the print of each blank type is learnt from the whole batch: a few seconds on a large archive
    if (pages.length > 0) report(null, 'batch');
    const batchStarted = performance.now();
    applyFinalFill(pages, signatures, alternatives, options.template);
    addStage('batch', performance.now() - batchStarted);
    markDuplicates(pages);
    const counts = countRows(entries);
    const profiled = options.profile === true ? { profile: { pages: counts.pages, stageMs } } : {};
    if (counts.pages === 0) {
      const { code, detail } = rejectionForNoPages(entries, pagePictures);
      return finish({ verdict: 'rejected', code, detail, entries, counts, ...profiled });
    }
    return finish({ verdict: counts.problems > 0 ? 'accepted_with_problems' : 'accepted', code: null, detail: null, entries, counts, ...profiled });
  } finally {
    signatures.close();
  }
}
