import type { Upload } from '@collector/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { findInterruptedUploads, forgetInterruptedUpload } from '../api/interrupted-uploads.ts';
import type { InterruptedUpload } from '../api/interrupted-uploads.ts';
import type { QueueItem } from '../hooks/upload-queue.ts';

/**
 * Uploads this browser began and did not finish (the tab was closed or reloaded). The file itself
 * cannot be reopened without the person, so the page asks them to pick it again; tus then continues
 * from the server's offset. Entries the server has finished with, or no longer knows, are forgotten.
 */
export function useInterruptedUploads(ownerKey: string, uploads: readonly Upload[] | undefined, items: readonly QueueItem[]) {
  const [stored, setStored] = useState<InterruptedUpload[]>([]);
  // Look again whenever a queue item starts or stops: that is when tus adds or removes its entries.
  const queueShape = items.map((item) => `${item.key}:${item.state}:${item.uploadId ?? ''}`).join(',');

  useEffect(() => {
    setStored(findInterruptedUploads(ownerKey));
  }, [ownerKey, queueShape]);

  useEffect(() => {
    if (uploads === undefined) return;
    const known = new Map(uploads.map((upload) => [upload.id, upload]));
    // An archive this page is sending right now may be newer than the list: never forget those.
    const sending = new Set(items.filter((item) => item.state !== 'sent').map((item) => item.uploadId));
    const busyNames = new Set(items.filter((item) => item.state !== 'sent').map((item) => item.name));
    const stale = stored.filter(
      (entry) =>
        entry.uploadId !== null &&
        !sending.has(entry.uploadId) &&
        !busyNames.has(entry.fileName) &&
        known.get(entry.uploadId)?.status !== 'receiving',
    );
    if (stale.length === 0) return;
    for (const entry of stale) forgetInterruptedUpload(entry.storageKey);
    setStored((current) => current.filter((entry) => !stale.includes(entry)));
  }, [stored, uploads, items]);

  const interrupted = useMemo(() => {
    const inQueue = new Set(items.map((item) => item.uploadId).filter((id) => id !== null));
    const inQueueNames = new Set(items.filter((item) => item.state !== 'sent' && item.state !== 'blocked').map((item) => item.name));
    const known = new Map((uploads ?? []).map((upload) => [upload.id, upload]));
    return stored
      .filter((entry) => entry.uploadId === null || !inQueue.has(entry.uploadId))
      .filter((entry) => !inQueueNames.has(entry.fileName))
      .filter((entry) => uploads === undefined || (entry.uploadId !== null && known.get(entry.uploadId)?.status === 'receiving'))
      .map((entry) => ({ ...entry, receivedBytes: entry.uploadId === null ? null : (known.get(entry.uploadId)?.receivedBytes ?? null) }));
  }, [stored, items, uploads]);

  const forget = useCallback((storageKey: string) => {
    forgetInterruptedUpload(storageKey);
    setStored((current) => current.filter((entry) => entry.storageKey !== storageKey));
  }, []);

  return { interrupted, forget };
}
