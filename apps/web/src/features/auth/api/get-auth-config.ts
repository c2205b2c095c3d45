import { AuthConfigResponseSchema } from '@collector/contracts';
import type { AuthConfigResponse } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { authKeys } from './auth-keys.ts';

export function getAuthConfig(signal?: AbortSignal): Promise<AuthConfigResponse> {
  return apiRequest('/api/auth/config', AuthConfigResponseSchema, { signal });
}

export const authConfigQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.config(),
    queryFn: ({ signal }) => getAuthConfig(signal),
    // Server configuration; it does not change while the page is open.
    staleTime: Infinity,
  });

export function useAuthConfig() {
  return useQuery(authConfigQueryOptions());
}
