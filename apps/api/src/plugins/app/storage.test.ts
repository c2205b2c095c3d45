import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskStorage } from './storage.ts';

describe('createDiskStorage', () => {
  let root = '';
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('makes a key’s folders with its first file, and again after they were removed, leaving no temporary files', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'collector-storage-'));
    const storage = createDiskStorage(root);
    await storage.write('uploads/u1/thumbs/0-1.jpg', new Uint8Array([1, 2, 3]));
    await storage.write('uploads/u1/thumbs/1-1.jpg', new Uint8Array([4]));
    expect([...((await storage.readBytes('uploads/u1/thumbs/0-1.jpg')) ?? [])]).toEqual([1, 2, 3]);
    await storage.removePrefix('uploads/u1/');
    expect(await storage.readBytes('uploads/u1/thumbs/1-1.jpg')).toBeNull();
    await storage.write('uploads/u1/thumbs/1-1.jpg', new Uint8Array([5]));
    expect([...((await storage.readBytes('uploads/u1/thumbs/1-1.jpg')) ?? [])]).toEqual([5]);
    expect((await readdir(root, { recursive: true })).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await expect(storage.write('uploads/../../etc/x.jpg', new Uint8Array([1]))).rejects.toThrow(/bad storage key/);
  });
});
