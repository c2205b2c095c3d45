import { describe, expect, it } from 'vitest';
import { canCollectGarbage, collectYoungGarbage } from './collect-garbage.ts';

// What a collection frees, and when, is V8's business and is measured by `pnpm bench` (scan-check's peak memory);
// what is ours is reaching the collector at all, from a thread started without --expose-gc.
describe('collectYoungGarbage', () => {
  it('reaches the V8 collector in a process started without --expose-gc', () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    expect(canCollectGarbage()).toBe(true);
    expect(() => collectYoungGarbage()).not.toThrow();
  });
});
