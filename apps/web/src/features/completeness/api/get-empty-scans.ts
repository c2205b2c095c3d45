import { EmptyScanListResponseSchema } from '@collector/contracts';
import type { EmptyScanListResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString, schoolPath } from './completeness-keys.ts';

export function getEmptyScans(event: string, school: string, signal?: AbortSignal): Promise<EmptyScanListResponse> {
  return apiRequest(`${schoolPath(school)}/empty${queryString({ event })}`, EmptyScanListResponseSchema, { signal });
}

export const emptyScansQueryOptions = (event: string, school: string) =>
  queryOptions({ queryKey: completenessKeys.empty(event, school), queryFn: ({ signal }) => getEmptyScans(event, school, signal) });

export function useEmptyScans(event: string, school: string, enabled: boolean) {
  return useQuery({ ...emptyScansQueryOptions(event, school), enabled });
}
