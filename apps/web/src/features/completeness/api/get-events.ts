import { CompletenessEventsResponseSchema } from '@collector/contracts';
import type { CompletenessEventsResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString } from './completeness-keys.ts';

export function getEvents(region: string | undefined, signal?: AbortSignal): Promise<CompletenessEventsResponse> {
  return apiRequest(`/api/completeness/events${queryString({ region })}`, CompletenessEventsResponseSchema, { signal });
}

export const eventsQueryOptions = (region: string | undefined) =>
  queryOptions({ queryKey: completenessKeys.events(region), queryFn: ({ signal }) => getEvents(region, signal) });

export function useEvents(region: string | undefined) {
  return useQuery(eventsQueryOptions(region));
}
