import { createPageAnalyser, type AnalyseOptions, type PageAnalysis, type PageAnalyser } from '@collector/scan-core';

export interface PageReader {
  /** scan-core's page analysis of one image file, in a worker thread started on first use */
  analyse(bytes: Uint8Array, options: AnalyseOptions): Promise<PageAnalysis[]>;
  readonly running: boolean;
  close(): Promise<void>;
}

/**
 * One analysis thread for corrections (turning a page re-reads it), separate from the upload jobs' pool so a person
 * turning a page does not wait behind a 250 MB archive. Started on the first turn, closed after `idleMs` without one.
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

  return {
    async analyse(bytes, analyseOptions) {
      if (idleTimer) clearTimeout(idleTimer);
      analyser ??= createPageAnalyser({ size: 1, taskTimeoutMs: 60_000 });
      busy++;
      try {
        // the pool takes the bytes' buffer away: hand it a copy
        return (await analyser.analyse(bytes.slice(), analyseOptions, false)).pages;
      } finally {
        busy--;
        if (busy === 0) {
          idleTimer = setTimeout(() => void (busy === 0 ? stop() : undefined), idleMs);
          idleTimer.unref();
        }
      }
    },
    get running() {
      return analyser !== null;
    },
    close: stop,
  };
}
