import { describe, expect, it } from 'vitest';
import { canCollectGarbage, collectYoungGarbage } from './collect-garbage.ts';

const MIB = 1024 * 1024;
/** Dead page-sized buffers left behind, as a page worker leaves a decoded page and its crops: well under the external
 * memory V8 would collect for by itself, so without a collection they stay. */
const GARBAGE_BUFFERS = 16;
/** Enough time for V8 to sweep what a collection freed (its backing stores are released off the main thread). */
const SETTLE_MS = 100;

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Leaves GARBAGE_BUFFERS MiB of unreachable buffers behind and returns how many MiB of them are still held later. */
async function garbageStillHeldMiB(collect: boolean): Promise<number> {
  // start from a clean young generation, so only this round's garbage is counted
  collectYoungGarbage();
  await wait(SETTLE_MS);
  const baseline = process.memoryUsage().arrayBuffers;
  let checksum = 0;
  for (let index = 0; index < GARBAGE_BUFFERS; index++) checksum += new Uint8Array(MIB).fill(1)[0] ?? 0;
  expect(checksum).toBe(GARBAGE_BUFFERS);
  if (collect) collectYoungGarbage();
  await wait(SETTLE_MS);
  return (process.memoryUsage().arrayBuffers - baseline) / MIB;
}

describe('collectYoungGarbage', () => {
  it('frees dead buffers that V8 would otherwise keep, in a process started without --expose-gc', async () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    expect(canCollectGarbage()).toBe(true);
    // left alone, the dead buffers stay counted: the collection below is what frees them
    expect(await garbageStillHeldMiB(false)).toBeGreaterThanOrEqual(GARBAGE_BUFFERS * 0.75);
    expect(await garbageStillHeldMiB(true)).toBeLessThan(GARBAGE_BUFFERS * 0.25);
  });
});
