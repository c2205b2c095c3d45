import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { ArchiveLimits } from './archive/archive-limits.ts';
import { resolveArchiveLimits } from './archive/archive-limits.ts';
import { openArchive } from './archive/open-archive.ts';
import type { OpenedArchive } from './archive/open-archive.ts';
import { readArchiveEntries } from './archive/read-archive-entries.ts';
import type { EntryOutcome } from './archive/read-archive-entries.ts';
import { sniffContent } from './archive/sniff-content.ts';
import { ScanError, isScanError } from './errors.ts';
import { createPageAnalyser } from './pool/create-page-analyser.ts';
import type { PageAnalyser } from './pool/create-page-analyser.ts';
import { createScanResultBuilder, rejectedScan } from './scan/build-scan-result.ts';
import type { ScanResult, ScannedPage } from './scan/scan-result.ts';
import { createPageSubmitter } from './scan/submit-pages.ts';
import type { FillTemplate } from './shared/types.ts';

export type { PageSummary, ScanCounts, ScanEntry, ScanProfile, ScanResult, ScannedPage, Verdict } from './scan/scan-result.ts';

export interface ScanProgress {
  /** 'pages' while entries are read and pages analysed; 'batch' once all are in and filled / empty is decided */
  stage: 'pages' | 'batch';
  entriesDone: number;
  entriesTotal: number;
  pagesAnalysed: number;
  currentPath: string | null;
}

export interface ScanArchiveOptions {
  /** used in memory only: never stored, never logged */
  password?: string;
  /** blank-number pattern; default DEFAULT_BLANK_PATTERN */
  pattern?: RegExp;
  /** the name the person gave the file when `path` is a temporary file */
  fileName?: string;
  limits?: Partial<ArchiveLimits>;
  /** produce the upright page JPEG and its thumbnail (ScannedPage.analysis.uprightJpeg, uprightThumbnail) for storage; 'unread': only of pages whose code was not read */
  wantUpright?: boolean | 'unread';
  /** produce only the upright thumbnail (AnalyseOptions.wantThumbnail) */
  wantThumbnail?: boolean;
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
 * the archive, counts. Memory stays bounded: entries are read one at a time and page submission holds the reader
 * back while the pool has no room (scan/submit-pages.ts); the batch-result builder keeps the rows and the packed
 * ink signatures and gives the verdict (scan/build-scan-result.ts). Bad input never throws: it is the verdict.
 * Only I/O failures on `path` itself and onPage errors throw.
 */
export async function scanArchive(path: string, options: ScanArchiveOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const fileName = options.fileName ?? basename(path);
  const limits = resolveArchiveLimits(options.limits);

  const { head, size } = await readHead(path);
  const sniffed = sniffContent(head);
  const pageNamed = /\.(jpe?g|jfif|tiff?)$/i.test(fileName);
  const single = sniffed.kind === 'jpeg' || sniffed.kind === 'tiff' || (pageNamed && sniffed.kind !== 'archive');
  let archive: OpenedArchive | null = null;
  if (single) {
    if (size > limits.maxArchiveBytes) return rejectedScan(fileName, started, new ScanError('archive_too_large', `${size} bytes, more than ${limits.maxArchiveBytes}`));
  } else {
    try {
      archive = await openArchive(path, { password: options.password, limits, fileName });
    } catch (error) {
      if (isScanError(error)) return rejectedScan(fileName, started, error);
      throw error;
    }
  }

  const analyser = options.analyser ?? createPageAnalyser({ size: options.workers });
  const ownAnalyser = options.analyser === undefined;
  const analyseOptions = {
    ...(options.pattern ? { pattern: options.pattern } : {}),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.template ? { template: options.template } : {}),
    wantUpright: options.wantUpright ?? false,
    ...(options.wantThumbnail === true ? { wantThumbnail: true } : {}),
    ...(options.profile === true ? { profile: true } : {}),
  };
  let entriesDone = 0;
  let pagesAnalysed = 0;
  const entriesTotal = archive ? archive.entries.length : 1;
  const report = (currentPath: string | null, stage: ScanProgress['stage'] = 'pages'): void =>
    options.onProgress?.({ stage, entriesDone, entriesTotal, pagesAnalysed, currentPath });
  const builder = createScanResultBuilder();
  const submitter = createPageSubmitter({
    analyser,
    analyseOptions,
    ...(options.onPage ? { onPage: options.onPage } : {}),
    onAnalysed: (file, slot, pages) => builder.setPages(slot, file.path, file.sha256, pages),
    onRefused: (file, slot, code, detail) => builder.setPageProblem(slot, file.path, file.sha256, code, detail),
    onDone: (file) => {
      pagesAnalysed++;
      report(file.path);
    },
  });

  try {
    let lateFault: ScanError | null = null;
    try {
      const outcomes = archive ? readArchiveEntries(archive, { password: options.password }) : singleFileOutcomes(path, fileName);
      // reading (inflating, hashing) happens while the loop waits for the next outcome
      let readStarted = performance.now();
      for await (const outcome of outcomes) {
        builder.addStage('read', performance.now() - readStarted);
        if (outcome.kind === 'page') await submitter.submit(outcome, builder.reservePage());
        else builder.addEntry(outcome);
        entriesDone++;
        report(outcome.path);
        if (submitter.failure()) break;
        readStarted = performance.now();
      }
    } catch (error) {
      if (!isScanError(error)) throw error;
      lateFault = error;
      submitter.abandon();
    } finally {
      await submitter.settle();
      await archive?.close();
    }
    const failure = submitter.failure();
    if (failure) throw failure;
    if (lateFault) return rejectedScan(fileName, started, lateFault);
    return await builder.build(fileName, started, {
      template: options.template,
      profile: options.profile === true,
      onBatch: () => report(null, 'batch'),
      // in a worker, so the caller's thread stays free; a failure there fails the scan like any other (made again
      // here it would hold the caller's thread as long again, and hide a broken worker path)
      decide: (input) => analyser.decideBatch(input),
    });
  } finally {
    builder.close();
    if (ownAnalyser) await analyser.close();
  }
}
