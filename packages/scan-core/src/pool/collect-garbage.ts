/**
 * A young-generation collection on demand, for worker threads. A page leaves several megabytes of buffers
 * behind (the decoded page, crops for zxing, libvips output) that V8 counts only as external memory; it frees them
 * at its own pace, so two workers could sit on well over 100 MB of dead pages. A scavenge after each page frees
 * them in about a millisecond. Workers cannot take --expose-gc from execArgv (V8 flags are per process), so the
 * flag is set at run time and the function is taken from a fresh context, the documented way to reach it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let collect: Collect | null | undefined;

function load(): Collect | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    return null;
  }
}

function collector(): Collect | null {
  if (collect === undefined) collect = load();
  return collect;
}

/** Frees short-lived buffers now; does nothing where the runtime does not allow it. */
export function collectYoungGarbage(): void {
  collector()?.({ type: 'minor' });
}

/** Whether collections can be asked for here (the runtime let the collector be reached). */
export function canCollectGarbage(): boolean {
  return collector() !== null;
}
