/** Every registry query key hangs off `['registry']`; an import invalidates that root. */
export const registryKeys = {
  all: ['registry'] as const,
  summary: () => [...registryKeys.all, 'summary'] as const,
};
