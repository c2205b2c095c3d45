import { FINGERPRINT_PREFIX, uploadIdFromUrl } from './send-archive.ts';

/** An upload this browser started and did not finish (a reload, a closed tab): picking the same file again continues it. */
export type InterruptedUpload = { storageKey: string; uploadId: string | null; fileName: string; sizeBytes: number | null; startedAt: string };

/*
 * Read straight from localStorage, in the format tus-js-client's WebStorageUrlStorage writes
 * (`tus::<fingerprint>::<n>` → JSON): the same entries `findPreviousUploads` uses to resume.
 */
export function findInterruptedUploads(ownerKey: string): InterruptedUpload[] {
  const prefix = `tus::${[FINGERPRINT_PREFIX, ownerKey].join('|')}|`;
  const found: InterruptedUpload[] = [];
  try {
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      if (key === null || !key.startsWith(prefix)) continue;
      const entry = parseStoredUpload(localStorage.getItem(key));
      if (entry !== null) found.push({ storageKey: key, ...entry });
    }
  } catch {
    // storage refused (private mode, sandbox): nothing to offer
  }
  return found.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

function parseStoredUpload(raw: string | null): Omit<InterruptedUpload, 'storageKey'> | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as { size?: unknown; metadata?: { filename?: unknown }; creationTime?: unknown; uploadUrl?: unknown };
    return {
      uploadId: typeof value.uploadUrl === 'string' ? uploadIdFromUrl(value.uploadUrl) : null,
      fileName: typeof value.metadata?.filename === 'string' ? value.metadata.filename : 'архив',
      sizeBytes: typeof value.size === 'number' ? value.size : null,
      startedAt: typeof value.creationTime === 'string' ? value.creationTime : '',
    };
  } catch {
    return null;
  }
}

export function forgetInterruptedUpload(storageKey: string): void {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // nothing stored, nothing to forget
  }
}
