import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. ` +
        'Stop the running collector first (the embedded database allows one process at a time), or use PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataDirBusyError';
  }
}

/** Folders this process holds: a lock file with our own pid is ours only if it is listed here. */
const heldHere = new Set<string>();

/**
 * PGlite keeps its files in one folder that only one process may open; a second opener would
 * corrupt it. Takes a lock file holding our pid. A lock left by a dead process — or by an earlier
 * run that had our pid, as in a restarted container — is moved aside atomically and taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const key = path.resolve(dir);
  const file = path.join(key, 'collector.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    if (heldHere.has(key)) throw new DataDirBusyError(key, process.pid);
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(key);
      return async () => {
        heldHere.delete(key);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      const ownStale = pid === process.pid && !heldHere.has(key);
      if (Number.isInteger(pid) && pid > 0 && !ownStale && isAlive(pid)) throw new DataDirBusyError(key, pid);
      // rename is atomic: of two processes finding the same stale lock, only one moves it
      const aside = `${file}.stale-${process.pid}-${Date.now()}`;
      try {
        await rename(file, aside);
        await rm(aside, { force: true });
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code !== 'ENOENT') throw renameError;
      }
    }
  }
  throw new Error(`could not lock ${key}`);
}
