import { describe, expect, it } from 'vitest';
import { createProgressBar } from './create-progress-bar.ts';

function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = {
    isTTY,
    columns: 120,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

describe('createProgressBar', () => {
  it('shows files and pages, then says the batch is being decided, and clears its line at the end', () => {
    const { stream, written } = terminal(true);
    const bar = createProgressBar(stream);
    bar.update({ stage: 'pages', entriesDone: 1, entriesTotal: 4, pagesAnalysed: 0, currentPath: 'аудитория 5/скан 1.jpg' });
    expect(written()).toContain('1/4 файлов, 0 стр. аудитория 5/скан 1.jpg');
    bar.update({ stage: 'batch', entriesDone: 4, entriesTotal: 4, pagesAnalysed: 4, currentPath: null });
    expect(written()).toContain('4 стр.: заполненность по всему пакету…');
    bar.done();
    expect(written().endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when the output is not a terminal', () => {
    const { stream, written } = terminal(false);
    const bar = createProgressBar(stream);
    bar.update({ stage: 'batch', entriesDone: 1, entriesTotal: 1, pagesAnalysed: 1, currentPath: null });
    bar.done();
    expect(written()).toBe('');
  });
});
