import type { EntryOutcome, IgnoredReason } from '../archive/read-archive-entries.ts';
import { PAGE_PICTURE_FORMATS } from '../archive/sniff-content.ts';
import type { ArchiveCode, EntryCode, ScanError } from '../errors.ts';
import { createSignatureStore } from '../fill/signature-store.ts';
import type { FillTemplate, PageAnalysis, Rotation } from '../shared/types.ts';
import type { BatchInput, BatchPage } from './decide-batch.ts';
import { toPageSummary } from './scan-result.ts';
import type { PageSummary, ScanCounts, ScanEntry, ScanResult } from './scan-result.ts';

/** When no page is left, the rejection names what most entries suffered; ties go to the most telling cause. */
const EMPTY_CAUSE_PRIORITY: readonly EntryCode[] = ['nested_archive', 'unreadable_image', 'corrupt_entry', 'forbidden_format', 'unsafe_path'];

const IGNORED_DETAIL: Record<IgnoredReason, string> = {
  system_file: 'system file',
  macos_metadata: 'macOS metadata',
  empty_folder: 'empty folder',
};

/** A page's signatures under other turns (pages oriented by their content only), kept packed like its own. */
interface StoredAlternative {
  rotation: Rotation;
  imageHash: string;
}

export interface ScanResultBuilder {
  /** time spent in a stage, for the profile */
  addStage(stage: string, ms: number): void;
  /** an entry that is not a page: an ignored file or a problem, in archive order */
  addEntry(outcome: Exclude<EntryOutcome, { kind: 'page' }>): void;
  /** the place of a page file in the result: its rows keep archive order, whenever its analysis comes back */
  reservePage(): number;
  /** the analyses of the page file in `slot`, its ink signatures kept packed until the batch decision */
  setPages(slot: number, path: string, sha256: string, pages: readonly PageAnalysis[]): void;
  /** the page file in `slot` could not be taken */
  setPageProblem(slot: number, path: string, sha256: string, code: EntryCode, detail: string): void;
  /**
   * The result once every entry is in: the batch decides filled / empty (and may turn content-oriented pages),
   * duplicates are marked, entries counted, the verdict given. `onBatch` is called before the batch decision, which
   * `decide` makes (decideBatch, in a worker or here).
   */
  build(archive: string, started: number, options: { template?: FillTemplate; profile: boolean; onBatch: () => void; decide: (input: BatchInput) => Promise<PageSummary[]> }): Promise<ScanResult>;
  /** the signature store may hold a temporary file: close it however the scan ends */
  close(): void;
}

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
  return {
    ...blankRow(path, 'page'),
    page: analysis.page,
    blankNumber: analysis.blankNumber,
    symbology: analysis.symbology,
    rotation: analysis.rotation,
    fill: analysis.fill,
    inkScore: analysis.inkScore,
    sha256,
    analysis: toPageSummary(analysis),
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

function finishScan(archive: string, started: number, partial: Omit<ScanResult, 'seconds' | 'archive'>): ScanResult {
  return { archive, ...partial, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

/** The result of a scan rejected as a whole (an archive-level fault): no entries. */
export function rejectedScan(archive: string, started: number, error: ScanError): ScanResult {
  return finishScan(archive, started, { verdict: 'rejected', code: error.code, detail: error.message, entries: [], counts: emptyCounts() });
}

/**
 * The batch-result builder of scanArchive: collects every entry's rows in archive order while pages come back in any
 * order, keeps the pages' ink signatures packed (a signature store) until the batch decision, and builds the result.
 */
export function createScanResultBuilder(): ScanResultBuilder {
  const rows: ScanEntry[][] = [];
  const signatures = createSignatureStore<object>();
  const alternatives = new Map<ScanEntry, StoredAlternative[]>();
  /** forbidden_format entries that are page pictures in another format (PDF, PNG, HEIC…) */
  const pagePictures = new Set<string>();
  const stageMs: Record<string, number> = {};

  const addStage = (stage: string, ms: number): void => {
    stageMs[stage] = (stageMs[stage] ?? 0) + ms;
  };

  /** The batch-level fill decision replaces each page's provisional one; the batch may also turn content-oriented pages. */
  const applyFinalFill = async (pages: ScanEntry[], template: FillTemplate | undefined, decide: (input: BatchInput) => Promise<PageSummary[]>): Promise<void> => {
    const keys: object[] = [];
    const batch: BatchPage[] = [];
    for (const row of pages) {
      if (row.analysis === null) return;
      const turns = (alternatives.get(row) ?? []).map((stored) => ({ rotation: stored.rotation, imageHash: stored.imageHash, signature: keys.push(stored) - 1 }));
      batch.push({ summary: row.analysis, signature: keys.push(row) - 1, alternatives: turns });
    }
    const packed = signatures.pack(keys);
    if (batch.length === 0 || packed === null) return;
    const decided = await decide({ pages: batch, signatures: packed, ...(template ? { template } : {}) });
    pages.forEach((row, index) => {
      const page = decided[index];
      if (!page) return;
      row.analysis = page;
      row.fill = page.fill;
      row.inkScore = page.inkScore;
      // the batch may also turn a page that only its content had oriented (rotation_corrected_by_batch)
      row.rotation = page.rotation;
    });
  };

  return {
    addStage,
    addEntry(outcome) {
      if (outcome.kind === 'ignored') {
        rows.push([{ ...blankRow(outcome.path, 'ignored'), detail: IGNORED_DETAIL[outcome.reason] }]);
        return;
      }
      rows.push([problemRow(outcome.path, outcome.code, outcome.detail)]);
      if (outcome.code === 'forbidden_format' && outcome.format !== undefined && PAGE_PICTURE_FORMATS.has(outcome.format)) pagePictures.add(outcome.path);
    },
    reservePage() {
      rows.push([]);
      return rows.length - 1;
    },
    setPages(slot, path, sha256, pages) {
      for (const analysis of pages) for (const [stage, ms] of Object.entries(analysis.stageMs ?? {})) addStage(stage, ms);
      if (pages.length === 0) {
        rows[slot] = [problemRow(path, 'unreadable_image', 'the image holds no page', sha256)];
        return;
      }
      rows[slot] = pages.map((analysis) => {
        const row = pageRow(path, sha256, analysis);
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
      });
    },
    setPageProblem(slot, path, sha256, code, detail) {
      rows[slot] = [problemRow(path, code, detail, sha256)];
    },
    async build(archive, started, options) {
      const entries = rows.flat();
      const pages = entries.filter((entry) => entry.kind === 'page');
      // the print of each blank type is learnt from the whole batch: a few seconds on a large archive
      if (pages.length > 0) options.onBatch();
      const batchStarted = performance.now();
      await applyFinalFill(pages, options.template, options.decide);
      addStage('batch', performance.now() - batchStarted);
      markDuplicates(pages);
      const counts = countRows(entries);
      const profiled = options.profile ? { profile: { pages: counts.pages, stageMs } } : {};
      if (counts.pages === 0) {
        const { code, detail } = rejectionForNoPages(entries, pagePictures);
        return finishScan(archive, started, { verdict: 'rejected', code, detail, entries, counts, ...profiled });
      }
      const verdict = counts.problems > 0 ? 'accepted_with_problems' : 'accepted';
      return finishScan(archive, started, { verdict, code: null, detail: null, entries, counts, ...profiled });
    },
    close() {
      signatures.close();
    },
  };
}
