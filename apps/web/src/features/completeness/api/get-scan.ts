import { ScanSchema } from '@collector/contracts';
import type { Scan } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys } from './completeness-keys.ts';

/** One scan as the viewer needs it (its version, upload and state), for a cell of the kit grid. */
export function getScan(scanId: string, signal?: AbortSignal): Promise<Scan> {
  return apiRequest(`/api/scans/${encodeURIComponent(scanId)}`, ScanSchema, { signal });
}

export const scanQueryOptions = (scanId: string) =>
  queryOptions({ queryKey: [...completenessKeys.all, 'scan', scanId] as const, queryFn: ({ signal }) => getScan(scanId, signal) });

export function useScan(scanId: string) {
  return useQuery(scanQueryOptions(scanId));
}
