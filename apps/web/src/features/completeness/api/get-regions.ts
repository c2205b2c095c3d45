import { RegionListResponseSchema } from '@collector/contracts';
import type { RegionListResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys } from './completeness-keys.ts';

/** The regions the person works in (an admin: all), for the region filter. */
export function getRegions(signal?: AbortSignal): Promise<RegionListResponse> {
  return apiRequest('/api/regions', RegionListResponseSchema, { signal });
}

export const regionsQueryOptions = () =>
  queryOptions({ queryKey: [...completenessKeys.all, 'regions'] as const, queryFn: ({ signal }) => getRegions(signal), staleTime: 10 * 60_000 });

export function useRegions() {
  return useQuery(regionsQueryOptions());
}
