import { CreateUserResponseSchema } from '@collector/contracts';
import type { CreateUserRequest, CreateUserResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { userKeys } from './user-keys.ts';

export function createUser(request: CreateUserRequest): Promise<CreateUserResponse> {
  return apiRequest('/api/users', CreateUserResponseSchema, { method: 'POST', body: request });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
