import { DuplicateListResponseSchema } from '@collector/contracts';
import type { DuplicateListResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString, schoolPath } from './completeness-keys.ts';

export function getDuplicates(event: string, school: string, signal?: AbortSignal): Promise<DuplicateListResponse> {
  return apiRequest(`${schoolPath(school)}/duplicates${queryString({ event })}`, DuplicateListResponseSchema, { signal });
}

export const duplicatesQueryOptions = (event: string, school: string) =>
  queryOptions({ queryKey: completenessKeys.duplicates(event, school), queryFn: ({ signal }) => getDuplicates(event, school, signal) });

export function useDuplicates(event: string, school: string, enabled: boolean) {
  return useQuery({ ...duplicatesQueryOptions(event, school), enabled });
}
