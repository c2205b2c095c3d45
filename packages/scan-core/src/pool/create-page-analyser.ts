import { ScanError } from '../errors.ts';
import type { EntryCode } from '../errors.ts';
import { compiledZxing } from '../barcode/zxing-reader.ts';
import type { WasmModule } from '../barcode/zxing-reader.ts';
import { countAnalysisThreads } from '../image/sharp-codec.ts';
import type { AnalyseOptions, PageAnalysis, RenditionSize, Rotation } from '../shared/types.ts';
import { decideBatchInParts } from '../scan/decide-batch.ts';
import type { BatchInput, BatchPart, BatchPartResult } from '../scan/decide-batch.ts';
import type { PageSummary } from '../scan/scan-result.ts';
import { WorkerTaskError, createWorkerPool } from './create-worker-pool.ts';

export interface AnalysePageTask {
  kind: 'page';
  bytes: Uint8Array;
  options: AnalyseOptions;
  /** hand the page bytes back after analysis (the caller stores the original) instead of dropping them */
  returnBytes: boolean;
}

export interface AnalysePageResult {
  pages: PageAnalysis[];
  bytes: Uint8Array | null;
}

/** The batch decision of a scan (decide-batch.ts), run by a worker of the pool. */
export interface DecideBatchTask extends BatchInput {
  kind: 'batch';
}

/** A part of a batch decision (decideBatchInParts), so the workers share it. */
export interface BatchPartTask extends BatchInput {
  kind: 'batch-part';
  part: BatchPart;
}

/**
 * The upright rendition of one page of a file, for a way up and skew already decided (renderUprightPage). The file
 * is named, not sent: the worker reads it when it comes to it, so renditions waiting in the queue hold no page bytes.
 */
export interface RenderPageTask {
  kind: 'render';
  path: string;
  page: number;
  rotation: Rotation;
  skewDegrees: number;
  size: RenditionSize;
}

/** What a page worker starts with: zxing compiled once by the pool's thread, whose machine code the workers share. */
export interface PageWorkerData {
  zxing: WasmModule;
}

export type PageWorkerTask = AnalysePageTask | DecideBatchTask | BatchPartTask | RenderPageTask;
export type PageWorkerResult =
  | ({ kind: 'page' } & AnalysePageResult)
  | { kind: 'batch'; pages: PageSummary[] }
  | { kind: 'batch-part'; result: BatchPartResult }
  | { kind: 'render'; jpeg: Uint8Array };

/** A batch may take this long plus BATCH_MS_PER_PAGE a page before its worker is taken for hung. */
const BATCH_BASE_TIMEOUT_MS = 60_000;
const BATCH_MS_PER_PAGE = 200;

export interface PageAnalyser {
  /** worker threads analysing pages */
  readonly size: number;
  /** resolves when another page may be queued without growing memory */
  ready(): Promise<void>;
  /** the page bytes move to a worker (the caller's copy is emptied) and come back in the result when asked */
  analyse(bytes: Uint8Array, options: AnalyseOptions, returnBytes: boolean): Promise<AnalysePageResult>;
  /** the batch decision in a worker, so the caller's thread stays free meanwhile */
  decideBatch(input: BatchInput): Promise<PageSummary[]>;
  /** the upright JPEG of page `page` (1-based) of the file at `path`, or its thumbnail, turned by `rotation` and deskewed by `skewDegrees` (renderUprightPage) */
  renderUpright(path: string, page: number, rotation: Rotation, skewDegrees: number, size?: RenditionSize): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface PageAnalyserOptions {
  /** worker threads; default every core */
  size?: number;
  /** one page may not take longer (hung decoder); default 120 s */
  taskTimeoutMs?: number;
  /** pages waiting for a worker before ready() holds the producer back; default QUEUED_PAGES */
  maxQueued?: number;
}

/**
 * One page waits for the next free worker: a worker that finishes starts the next page at once, while the archive
 * reader inflates the one after it, and no more pages than that sit in memory waiting (a scan's back-pressure).
 */
export const QUEUED_PAGES = 1;

const ENTRY_CODES_FROM_WORKERS: readonly string[] = ['unreadable_image'];

/** A pool of worker threads running analyseImage, one page file at a time per core. */
export function createPageAnalyser(options: PageAnalyserOptions = {}): PageAnalyser {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const pool = createWorkerPool<PageWorkerTask, PageWorkerResult>({
    workerUrl: new URL(`./analyse-page-worker${extension}`, import.meta.url),
    size: options.size,
    taskTimeoutMs: options.taskTimeoutMs,
    maxQueued: options.maxQueued ?? QUEUED_PAGES,
    workerData: (): Partial<PageWorkerData> => {
      try {
        return { zxing: compiledZxing() };
      } catch {
        // a worker that is handed nothing compiles zxing itself, and its pages name the fault if that fails too
        return {};
      }
    },
  });
  countAnalysisThreads(pool.size);
  let closed = false;
  return {
    size: pool.size,
    ready: () => pool.ready(),
    async analyse(bytes, analyseOptions, returnBytes) {
      try {
        // A view over a larger buffer would transfer (and empty) the whole buffer: copy it out first.
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        const result = await pool.run({ kind: 'page', bytes: own, options: analyseOptions, returnBytes }, [own.buffer as ArrayBuffer]);
        if (result.kind !== 'page') throw new Error('a page worker answered a page with a batch');
        return { pages: result.pages, bytes: result.bytes };
      } catch (error) {
        if (error instanceof WorkerTaskError && error.code !== undefined && ENTRY_CODES_FROM_WORKERS.includes(error.code)) {
          throw new ScanError(error.code as EntryCode, error.message);
        }
        // A crashed or hung worker means this file could not be decoded safely.
        throw new ScanError('unreadable_image', `the page could not be analysed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    async renderUpright(path, page, rotation, skewDegrees, size = 'full') {
      try {
        const result = await pool.run({ kind: 'render', path, page, rotation, skewDegrees, size });
        if (result.kind !== 'render') throw new Error('a page worker answered a rendition with something else');
        return result.jpeg;
      } catch (error) {
        if (error instanceof WorkerTaskError && error.code !== undefined && ENTRY_CODES_FROM_WORKERS.includes(error.code)) {
          throw new ScanError(error.code as EntryCode, error.message);
        }
        throw new ScanError('unreadable_image', `the page could not be rendered: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    async decideBatch(input) {
      const timeoutMs = BATCH_BASE_TIMEOUT_MS + BATCH_MS_PER_PAGE * input.pages.length;
      // with a template every page is judged alone against it: one worker does it
      if (pool.size < 2 || input.template !== undefined) {
        const result = await pool.run({ kind: 'batch', ...input }, [], { timeoutMs });
        if (result.kind !== 'batch') throw new Error('a page worker answered a batch with a page');
        return result.pages;
      }
      return decideBatchInParts(input, pool.size, async (part) => {
        const result = await pool.run({ kind: 'batch-part', ...input, part }, [], { timeoutMs });
        if (result.kind !== 'batch-part') throw new Error('a page worker answered a part of a batch with a page');
        return result.result;
      });
    },
    close: async () => {
      if (!closed) {
        closed = true;
        countAnalysisThreads(-pool.size);
      }
      await pool.close();
    },
  };
}
