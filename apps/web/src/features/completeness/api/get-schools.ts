import { SchoolListResponseSchema } from '@collector/contracts';
import type { SchoolListResponse } from '@collector/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString, type SchoolListParams } from './completeness-keys.ts';

export function getSchools({ event, ...params }: SchoolListParams, signal?: AbortSignal): Promise<SchoolListResponse> {
  return apiRequest(`/api/completeness/events/${encodeURIComponent(event)}/schools${queryString({ ...params, limit: 500 })}`, SchoolListResponseSchema, { signal });
}

export const schoolsQueryOptions = (params: SchoolListParams) =>
  queryOptions({ queryKey: completenessKeys.schools(params), queryFn: ({ signal }) => getSchools(params, signal), placeholderData: keepPreviousData });

export function useSchools(params: SchoolListParams) {
  return useQuery(schoolsQueryOptions(params));
}

/** The same list as a file, with the same search and filters. */
export function schoolsExportUrl({ event, ...params }: SchoolListParams, format: 'xlsx' | 'csv'): string {
  return `/api/completeness/events/${encodeURIComponent(event)}/export${queryString({ ...params, format })}`;
}
