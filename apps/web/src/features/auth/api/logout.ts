import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequestNoContent } from '../../../shared/api/api-client.ts';
import { isApiError } from '../../../shared/api/api-error.ts';
import { authKeys } from './auth-keys.ts';

export async function logout(): Promise<void> {
  try {
    await apiRequestNoContent('/api/auth/logout', { method: 'POST' });
  } catch (error) {
    // A session that already ended on the server is exactly the state we want.
    if (!isApiError(error, 'unauthenticated')) throw error;
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      // Nothing the signed-in user saw may stay in memory for the next person at this computer.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData(authKeys.me(), null);
    },
  });
}
