/** Every users query key hangs off `['users']`; a change to any user invalidates that root. */
export const userKeys = {
  all: ['users'] as const,
  list: () => [...userKeys.all, 'list'] as const,
};
