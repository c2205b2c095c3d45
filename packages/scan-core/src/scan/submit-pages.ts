import type { EntryOutcome } from '../archive/read-archive-entries.ts';
import { isScanError } from '../errors.ts';
import type { EntryCode } from '../errors.ts';
import type { PageAnalyser } from '../pool/create-page-analyser.ts';
import type { AnalyseOptions, PageAnalysis } from '../shared/types.ts';
import type { ScannedPage } from './scan-result.ts';

/** A page file read from the archive (or the single page file scanned). */
export type PageOutcome = Extract<EntryOutcome, { kind: 'page' }>;

/** Pages in flight (read, queued, being analysed, being stored) may hold at most this many bytes together. */
export const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface PageSubmitterOptions {
  analyser: PageAnalyser;
  analyseOptions: AnalyseOptions;
  /** called for every page as it is analysed, awaited (ScanArchiveOptions.onPage) */
  onPage?: (page: ScannedPage) => void | Promise<void>;
  /** the file's page analyses (an empty list: the image holds no page), before they are stored */
  onAnalysed: (file: PageOutcome, slot: number, pages: PageAnalysis[]) => void;
  /** the file could not be analysed, or its storing refused it: the entry's problem */
  onRefused: (file: PageOutcome, slot: number, code: EntryCode, detail: string) => void;
  /** after each file, whatever became of it */
  onDone: (file: PageOutcome) => void;
}

export interface PageSubmitter {
  /**
   * Waits until the pool has room for another page (its own ready()) and the pages in flight leave room for this
   * one's bytes, then starts it: the archive reader is held back instead of piling pages up in memory.
   */
  submit(file: PageOutcome, slot: number): Promise<void>;
  /** Resolves when every submitted page is analysed and stored, or failed. */
  settle(): Promise<void>;
  /** No more pages are handed to onPage: the scan is rejected after all, and the caller discards what it stored. */
  abandon(): void;
  /** The first error that is not a page's own problem (onPage failing, mostly), once there is one. */
  failure(): unknown;
}

/**
 * Page submission for scanArchive: each page file goes to the worker pool with back-pressure, its analyses to
 * `onAnalysed`, then to `onPage`. Which results the scan keeps, and how, is the caller's (build-scan-result.ts).
 */
export function createPageSubmitter(options: PageSubmitterOptions): PageSubmitter {
  const { analyser, analyseOptions, onPage } = options;
  const inFlight = new Set<Promise<void>>();
  let inFlightBytes = 0;
  let abandoned = false;
  let failure: unknown = null;

  const start = (file: PageOutcome, slot: number): void => {
    const size = file.bytes.length;
    inFlightBytes += size;
    const job = (async () => {
      try {
        const { pages, bytes } = await analyser.analyse(file.bytes, analyseOptions, onPage !== undefined);
        options.onAnalysed(file, slot, pages);
        if (onPage && bytes && !abandoned) {
          for (const analysis of pages) {
            await onPage({ path: file.path, entryIndex: file.index, page: analysis.page, bytes, sha256: file.sha256, analysis });
          }
        }
      } catch (error) {
        if (isScanError(error)) options.onRefused(file, slot, error.code as EntryCode, error.message);
        else failure ??= error;
      } finally {
        inFlightBytes -= size;
        options.onDone(file);
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  return {
    async submit(file, slot) {
      // Pages handed to onPage are no longer the pool's but still in memory: the byte cap holds them too.
      for (;;) {
        await analyser.ready();
        if (inFlight.size === 0 || inFlightBytes + file.bytes.length <= MAX_IN_FLIGHT_BYTES) break;
        await Promise.race(inFlight);
      }
      start(file, slot);
    },
    async settle() {
      await Promise.allSettled([...inFlight]);
    },
    abandon() {
      abandoned = true;
    },
    failure: () => failure,
  };
}
