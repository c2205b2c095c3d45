import { KitListResponseSchema } from '@collector/contracts';
import type { CompletenessFilter, KitListResponse } from '@collector/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString, schoolPath } from './completeness-keys.ts';

export function getKits(event: string, school: string, filter: CompletenessFilter, signal?: AbortSignal): Promise<KitListResponse> {
  return apiRequest(`${schoolPath(school)}/kits${queryString({ event, filter })}`, KitListResponseSchema, { signal });
}

export const kitsQueryOptions = (event: string, school: string, filter: CompletenessFilter) =>
  queryOptions({ queryKey: completenessKeys.kits(event, school, filter), queryFn: ({ signal }) => getKits(event, school, filter, signal), placeholderData: keepPreviousData });

export function useKits(event: string, school: string, filter: CompletenessFilter) {
  return useQuery(kitsQueryOptions(event, school, filter));
}

export function kitsExportUrl(event: string, school: string, filter: CompletenessFilter, format: 'xlsx' | 'csv'): string {
  return `${schoolPath(school)}/export${queryString({ event, filter, format })}`;
}
