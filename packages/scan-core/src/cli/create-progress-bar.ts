import type { ScanProgress } from '../scan-archive.ts';

export interface ProgressBar {
  update(progress: ScanProgress): void;
  done(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

/** A one-line progress bar redrawn in place on a terminal; nothing at all when the stream is not a TTY. */
export function createProgressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && progress.entriesDone < progress.entriesTotal && progress.stage === 'pages') return;
      lastDraw = now;
      const share = progress.entriesTotal === 0 ? 1 : progress.entriesDone / progress.entriesTotal;
      const filled = Math.round(share * WIDTH);
      const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
      const counts = `${progress.entriesDone}/${progress.entriesTotal} файлов, ${progress.pagesAnalysed} стр.`;
      const line =
        progress.stage === 'batch'
          ? `${bar} ${progress.pagesAnalysed} стр.: заполненность по всему пакету…`
          : `${bar} ${counts} ${progress.currentPath ?? ''}`;
      const columns = stream.columns > 10 ? stream.columns - 1 : 79;
      stream.write(`\r${[...line].slice(0, columns).join('')}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
