import { UpdateUserResponseSchema } from '@collector/contracts';
import type { UpdateUserRequest, UpdateUserResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { userKeys } from './user-keys.ts';

export type UpdateUserVariables = { id: string; changes: UpdateUserRequest };

export function updateUser({ id, changes }: UpdateUserVariables): Promise<UpdateUserResponse> {
  return apiRequest(`/api/users/${encodeURIComponent(id)}`, UpdateUserResponseSchema, { method: 'PATCH', body: changes });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
