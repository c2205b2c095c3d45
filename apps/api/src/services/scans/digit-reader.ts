import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker as TesseractWorker } from 'tesseract.js';

/** One digit as tesseract read it: its place on the line crop (pixels) and how sure it is (0–100). */
export interface ReadDigit {
  digit: string;
  x0: number;
  x1: number;
  confidence: number;
}

export interface DigitReader {
  /** reads one line of printed digits (a PNG crop); the engine starts on first use */
  readLine(png: Buffer): Promise<ReadDigit[]>;
  /** whether the engine is loaded now (it is dropped after a while without work) */
  readonly running: boolean;
  close(): Promise<void>;
}

/** The English model of @tesseract.js-data/eng, from the installed package: no network at run time. */
function languageDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/**
 * tesseract.js (a WebAssembly engine in a worker thread, ~100 MB while loaded) started lazily on the first read and
 * terminated after `idleMs` without reads, so a server that never corrects a scan never carries it. Reads are one at a
 * time: one engine, one line at a time, is what a person correcting scans needs.
 */
export function createDigitReader(options: { idleMs?: number } = {}): DigitReader {
  const idleMs = options.idleMs ?? 60_000;
  let worker: Promise<TesseractWorker> | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function start(): Promise<TesseractWorker> {
    // imported here, not at the top: the engine's code is not loaded until a scan needs it
    const { createWorker, PSM } = await import('tesseract.js');
    const created = await createWorker('eng', 1, { langPath: languageDir(), cacheMethod: 'none', gzip: true });
    await created.setParameters({ tessedit_char_whitelist: '0123456789', tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' });
    return created;
  }

  function stop(): Promise<void> {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    const current = worker;
    worker = null;
    return current ? current.then((w) => w.terminate()).then(() => undefined, () => undefined) : Promise.resolve();
  }

  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void queue.then(stop), idleMs);
    idleTimer.unref();
  }

  async function read(png: Buffer): Promise<ReadDigit[]> {
    worker ??= start();
    let engine: TesseractWorker;
    try {
      engine = await worker;
    } catch (error) {
      worker = null;
      throw error;
    }
    try {
      const result = await engine.recognize(png, {}, { blocks: true, text: false });
      const digits: ReadDigit[] = [];
      for (const block of result.data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            for (const word of line.words) {
              for (const symbol of word.symbols) {
                if (/^\d$/.test(symbol.text)) digits.push({ digit: symbol.text, x0: symbol.bbox.x0, x1: symbol.bbox.x1, confidence: symbol.confidence });
              }
            }
          }
        }
      }
      return digits.sort((a, b) => a.x0 - b.x0);
    } finally {
      armIdle();
    }
  }

  return {
    readLine(png) {
      const next = queue.then(() => read(png));
      queue = next.catch(() => undefined);
      return next;
    },
    get running() {
      return worker !== null;
    },
    close: () => queue.then(stop),
  };
}
