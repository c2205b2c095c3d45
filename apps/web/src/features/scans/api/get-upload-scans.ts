import { ScanListResponseSchema, UploadSchema } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { scanKeys } from './scan-keys.ts';

/** «Список сканов в загруженном архиве»: every live scan in scan order, the counts, and the kits. */
export const uploadScansQueryOptions = (uploadId: string) =>
  queryOptions({
    queryKey: scanKeys.uploadScans(uploadId),
    queryFn: ({ signal }) => apiRequest(`/api/uploads/${encodeURIComponent(uploadId)}/scans`, ScanListResponseSchema, { signal }),
  });

export function useUploadScans(uploadId: string) {
  return useQuery(uploadScansQueryOptions(uploadId));
}

export function useUploadInfo(uploadId: string) {
  return useQuery({
    queryKey: scanKeys.uploadInfo(uploadId),
    queryFn: ({ signal }) => apiRequest(`/api/uploads/${encodeURIComponent(uploadId)}`, UploadSchema, { signal }),
  });
}
