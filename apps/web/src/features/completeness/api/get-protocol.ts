import { ProtocolResponseSchema } from '@collector/contracts';
import type { ProtocolResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, queryString, schoolPath } from './completeness-keys.ts';

export function getProtocol(event: string, school: string, signal?: AbortSignal): Promise<ProtocolResponse> {
  return apiRequest(`${schoolPath(school)}/protocol${queryString({ event })}`, ProtocolResponseSchema, { signal });
}

export const protocolQueryOptions = (event: string, school: string) =>
  queryOptions({ queryKey: completenessKeys.protocol(event, school), queryFn: ({ signal }) => getProtocol(event, school, signal) });

export function useProtocol(event: string, school: string) {
  return useQuery(protocolQueryOptions(event, school));
}
