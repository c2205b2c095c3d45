import { UserListResponseSchema } from '@collector/contracts';
import type { User } from '@collector/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { userKeys } from './user-keys.ts';

export async function getUsers(signal?: AbortSignal): Promise<User[]> {
  const { users } = await apiRequest('/api/users', UserListResponseSchema, { signal });
  return users;
}

export const usersQueryOptions = () =>
  queryOptions({
    queryKey: userKeys.list(),
    queryFn: ({ signal }) => getUsers(signal),
  });

export function useUsers() {
  return useQuery(usersQueryOptions());
}
