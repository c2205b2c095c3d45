import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { sendArchive } from '../api/send-archive.ts';
import { submitUpload } from '../api/submit-upload.ts';
import { uploadKeys } from '../api/upload-keys.ts';
import { buildFolderArchive } from '../utils/build-folder-archive.ts';
import { preflightArchive } from '../utils/preflight-archive.ts';
import { UploadQueue } from './upload-queue.ts';
import type { UploadQueueDeps } from './upload-queue.ts';

/** The page's queue of archives, sent through tus as `ownerKey`; tests pass their own `deps`. */
export function useUploadQueue(ownerKey: string, deps?: Partial<UploadQueueDeps>) {
  const queryClient = useQueryClient();
  const [queue] = useState(
    () =>
      new UploadQueue({
        preflight: (file, password) => preflightArchive(file, { password }),
        pack: buildFolderArchive,
        send: (file, options, events) => sendArchive(file, { ...options, ownerKey }, events),
        submit: async (id, password) => {
          await submitUpload({ id, password });
        },
        onServerChange: () => void queryClient.invalidateQueries({ queryKey: uploadKeys.all }),
        ...deps,
      }),
  );
  useEffect(() => () => queue.dispose(), [queue]);
  const items = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  return { queue, items };
}
