import { RegionListResponseSchema } from '@collector/contracts';
import type { Region } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { uploadKeys } from './upload-keys.ts';

export async function getRegions(signal?: AbortSignal): Promise<Region[]> {
  const { regions } = await apiRequest('/api/regions', RegionListResponseSchema, { signal });
  return regions;
}

export const regionsQueryOptions = () =>
  queryOptions({
    queryKey: uploadKeys.regions(),
    queryFn: ({ signal }) => getRegions(signal),
    staleTime: 10 * 60_000,
  });

/** Only the admin picks the region of an upload; everyone else uploads into their own. */
export function useRegions(enabled: boolean) {
  return useQuery({ ...regionsQueryOptions(), enabled });
}
