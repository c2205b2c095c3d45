import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createSignatureStore } from './signature-store.ts';

function signature(seed: number): { width: number; height: number; cells: Uint8Array } {
  const cells = new Uint8Array(207 * 292);
  for (let i = 0; i < cells.length; i++) cells[i] = (i * 31 + seed * 17) % 7 === 0 ? (i + seed) % 255 : 0;
  return { width: 207, height: 292, cells };
}

const leftovers = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('scan-signatures-'));

describe('createSignatureStore', () => {
  it('gives every signature back exactly, from memory and past the budget from disk, and leaves no file', () => {
    const before = leftovers();
    const store = createSignatureStore<number>(20_000);
    for (let key = 0; key < 40; key++) store.add(key, signature(key));
    for (let key = 0; key < 40; key++) {
      const back = store.get(key);
      expect(back?.width).toBe(207);
      expect(back?.height).toBe(292);
      expect(Buffer.compare(Buffer.from(back?.cells ?? []), Buffer.from(signature(key).cells))).toBe(0);
    }
    expect(store.get(99)).toBeUndefined();
    // the spill file is unlinked at once: nothing is left in the temporary folder even while the store is open
    expect(leftovers()).toEqual(before);
    const spilled = store.get(39);
    store.close();
    expect(() => spilled?.cells).toThrow(/closed/);
    expect(store.get(0)).toBeUndefined();
  });
});

describe('createSignatureStore without a usable temporary folder', () => {
  it('keeps the signatures in memory instead of failing the scan', () => {
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/nonexistent/folder';
    try {
      const store = createSignatureStore<number>(1);
      for (let key = 0; key < 3; key++) store.add(key, signature(key));
      for (let key = 0; key < 3; key++) expect(Buffer.from(store.get(key)?.cells ?? []).equals(Buffer.from(signature(key).cells))).toBe(true);
      store.close();
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});
