import { describe, expect, it } from 'vitest';
import { collectYoungGarbage } from './collect-garbage.ts';

/** What one page leaves behind: buffers nobody refers to once it is analysed. */
function analyseAndDrop(): number {
  const buffers = Array.from({ length: 8 }, () => new Uint8Array(4 * 1024 * 1024).fill(1));
  return buffers.reduce((sum, buffer) => sum + buffer.length, 0);
}

describe('collectYoungGarbage', () => {
  it('frees dead page-sized buffers at once', () => {
    collectYoungGarbage();
    const before = process.memoryUsage().arrayBuffers;
    expect(analyseAndDrop()).toBe(32 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    collectYoungGarbage();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  });
});
