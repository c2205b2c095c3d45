import { describe, expect, it } from 'vitest';
import type { AnalysePageResult, PageAnalyser } from '../pool/create-page-analyser.ts';
import { MAX_IN_FLIGHT_BYTES, createPageSubmitter } from './submit-pages.ts';
import type { PageOutcome } from './submit-pages.ts';

/** A pool of `size` workers holding at most `maxQueued` waiting pages, whose pages finish when the test says. */
function fakeAnalyser(size: number, maxQueued: number): PageAnalyser & { finishOne(): void; accepted: number } {
  const running: Array<() => void> = [];
  const waiting: Array<() => void> = [];
  const roomWaiters: Array<() => void> = [];
  const hasRoom = (): boolean => running.length + waiting.length < size + maxQueued;
  const state = {
    size,
    accepted: 0,
    ready(): Promise<void> {
      return hasRoom() ? Promise.resolve() : new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    analyse(): Promise<AnalysePageResult> {
      state.accepted++;
      return new Promise((resolve) => {
        const done = (): void => resolve({ pages: [], bytes: null });
        if (running.length < size) running.push(done);
        else waiting.push(done);
      });
    },
    finishOne(): void {
      running.shift()?.();
      const next = waiting.shift();
      if (next) running.push(next);
      while (hasRoom() && roomWaiters.length > 0) roomWaiters.shift()?.();
    },
    decideBatch: () => Promise.reject(new Error('page submission never decides a batch')),
    renderUpright: () => Promise.reject(new Error('page submission never renders a page')),
    close: () => Promise.resolve(),
  };
  return state;
}

function file(index: number, bytes: number): PageOutcome {
  return { kind: 'page', index, path: `page-${index}.jpg`, format: 'jpeg', bytes: new Uint8Array(bytes), sha256: String(index) };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createPageSubmitter', () => {
  it("holds the reader back until the pool's ready() has room, then lets the next page in", async () => {
    const analyser = fakeAnalyser(2, 1);
    const submitter = createPageSubmitter({ analyser, analyseOptions: {}, onAnalysed: () => undefined, onRefused: () => undefined, onDone: () => undefined });
    for (let index = 0; index < 3; index++) await submitter.submit(file(index, 10), index);
    expect(analyser.accepted).toBe(3);
    let fourthIn = false;
    const fourth = submitter.submit(file(3, 10), 3).then(() => (fourthIn = true));
    await tick();
    expect(fourthIn).toBe(false);
    expect(analyser.accepted).toBe(3);
    analyser.finishOne();
    await fourth;
    expect(analyser.accepted).toBe(4);
    for (let index = 0; index < 4; index++) analyser.finishOne();
    await submitter.settle();
  });

  it('keeps the bytes in flight under the cap even when the pool has room', async () => {
    const analyser = fakeAnalyser(8, 8);
    const submitter = createPageSubmitter({ analyser, analyseOptions: {}, onAnalysed: () => undefined, onRefused: () => undefined, onDone: () => undefined });
    const half = Math.floor(MAX_IN_FLIGHT_BYTES / 2) + 1;
    await submitter.submit(file(0, half), 0);
    let secondIn = false;
    const second = submitter.submit(file(1, half), 1).then(() => (secondIn = true));
    await tick();
    expect(secondIn).toBe(false);
    analyser.finishOne();
    await second;
    expect(analyser.accepted).toBe(2);
    analyser.finishOne();
    await submitter.settle();
  });
});
