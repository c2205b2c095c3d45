import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from './data-dir-lock.ts';

describe('lockDataDir', () => {
  it('admits one holder, and the next after release', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lock-'));
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirBusyError);
    await release();
    const again = await lockDataDir(dir);
    await again();
  });

  it('refuses while another live process holds it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lock-'));
    // pid 1 is always alive
    await writeFile(path.join(dir, 'collector.lock'), '1');
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process 1/);
  });

  it('takes over a lock left by a dead process or by an earlier run with our own pid', async () => {
    for (const stalePid of [2 ** 22 + 17, process.pid]) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lock-'));
      await writeFile(path.join(dir, 'collector.lock'), String(stalePid));
      const release = await lockDataDir(dir);
      expect(await readFile(path.join(dir, 'collector.lock'), 'utf8')).toBe(String(process.pid));
      await release();
    }
  });
});
