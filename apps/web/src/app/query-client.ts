import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { authKeys } from '../features/auth/api/auth-keys.ts';
import { isApiError } from '../shared/api/api-error.ts';

/**
 * A 4xx will not change by asking again; only network trouble and 5xx are worth a retry.
 * When any request learns the session has ended (expired, or signed out in another tab),
 * the cached user becomes null and the app shows the login page instead of broken screens.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onSessionLost(error) }),
    mutationCache: new MutationCache({ onError: (error) => onSessionLost(error) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => failureCount < 2 && (!isApiError(error) || error.status === 0 || error.status >= 500),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });

  function onSessionLost(error: unknown): void {
    if (isApiError(error, 'unauthenticated')) queryClient.setQueryData(authKeys.me(), null);
  }

  return queryClient;
}
