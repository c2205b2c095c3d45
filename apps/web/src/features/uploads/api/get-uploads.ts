import { UploadListResponseSchema } from '@collector/contracts';
import type { Upload } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { uploadKeys } from './upload-keys.ts';

/** While any archive is still being received or processed the list is asked again this often. */
export const UPLOADS_POLL_MS = 1500;

const ACTIVE = new Set<Upload['status']>(['receiving', 'queued', 'processing']);

/** Something is moving on the server; a row waiting for the person («Отправить») is not. */
export function hasActiveUploads(uploads: readonly Upload[] | undefined): boolean {
  return uploads?.some((upload) => ACTIVE.has(upload.status) && !upload.passwordNeeded) ?? false;
}

export async function getUploads(signal?: AbortSignal): Promise<Upload[]> {
  const { uploads } = await apiRequest('/api/uploads', UploadListResponseSchema, { signal });
  return uploads;
}

export const uploadsQueryOptions = () =>
  queryOptions({
    queryKey: uploadKeys.list(),
    queryFn: ({ signal }) => getUploads(signal),
    // Counts arrive while the server works; once everything has settled there is nothing to watch.
    refetchInterval: (query) => (hasActiveUploads(query.state.data) ? UPLOADS_POLL_MS : false),
  });

export function useUploads() {
  return useQuery(uploadsQueryOptions());
}
