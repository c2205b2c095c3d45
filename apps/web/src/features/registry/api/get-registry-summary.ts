import { RegistrySummaryResponseSchema } from '@collector/contracts';
import type { RegistrySummaryResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { registryKeys } from './registry-keys.ts';

export function getRegistrySummary(signal?: AbortSignal): Promise<RegistrySummaryResponse> {
  return apiRequest('/api/registry/summary', RegistrySummaryResponseSchema, { signal });
}

export const registrySummaryQueryOptions = () =>
  queryOptions({
    queryKey: registryKeys.summary(),
    queryFn: ({ signal }) => getRegistrySummary(signal),
  });

export function useRegistrySummary() {
  return useQuery(registrySummaryQueryOptions());
}
