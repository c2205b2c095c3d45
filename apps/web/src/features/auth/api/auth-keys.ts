/** Every query key of the auth feature hangs off `['auth']`, so one invalidation can reach them all. */
export const authKeys = {
  all: ['auth'] as const,
  config: () => [...authKeys.all, 'config'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};
