import { LoginResponseSchema } from '@collector/contracts';
import type { LoginRequest, User } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { authKeys } from './auth-keys.ts';

export async function login(credentials: LoginRequest): Promise<User> {
  const { user } = await apiRequest('/api/auth/login', LoginResponseSchema, { method: 'POST', body: credentials });
  return user;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      // Whatever was cached belonged to the previous session (or to nobody).
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData(authKeys.me(), user);
    },
  });
}
