import { createPageAnalyser, type AnalyseOptions, type PageAnalysis, type PageAnalyser, type RenditionSize, type Rotation } from '@collector/scan-core';

export interface PageReader {
  /** scan-core's page analysis of one image file, in a worker thread started on first use */
  analyse(bytes: Uint8Array, options: AnalyseOptions): Promise<PageAnalysis[]>;
  /** the upright JPEG of page `page` (1-based) of the file at `path`, or its thumbnail, for a way up and skew already decided */
  renderUpright(path: string, page: number, rotation: Rotation, skewDegrees: number, size?: RenditionSize): Promise<Uint8Array>;
  readonly running: boolean;
  close(): Promise<void>;
}

/**
 * One analysis thread for people (turning a page re-reads it; a page viewed for the first time is rendered upright),
 * separate from the upload jobs' pool so a person does not wait behind a 250 MB archive. Started on first use, closed
 * after `idleMs` without one.
 */
export function createPageReader(options: { idleMs?: number } = {}): PageReader {
  const idleMs = options.idleMs ?? 60_000;
  let analyser: PageAnalyser | null = null;
  let busy = 0;
  let idleTimer: NodeJS.Timeout | null = null;

  async function stop(): Promise<void> {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    const current = analyser;
    analyser = null;
    await current?.close();
  }

  async function use<T>(task: (running: PageAnalyser) => Promise<T>): Promise<T> {
    if (idleTimer) clearTimeout(idleTimer);
    analyser ??= createPageAnalyser({ size: 1, taskTimeoutMs: 60_000 });
    busy++;
    try {
      return await task(analyser);
    } finally {
      busy--;
      if (busy === 0) {
        idleTimer = setTimeout(() => void (busy === 0 ? stop() : undefined), idleMs);
        idleTimer.unref();
      }
    }
  }

  return {
    // the pool takes the bytes' buffer away: hand it a copy
    analyse: (bytes, analyseOptions) => use(async (running) => (await running.analyse(bytes.slice(), analyseOptions, false)).pages),
    renderUpright: (path, page, rotation, skewDegrees, size) => use((running) => running.renderUpright(path, page, rotation, skewDegrees, size)),
    get running() {
      return analyser !== null;
    },
    close: stop,
  };
}
