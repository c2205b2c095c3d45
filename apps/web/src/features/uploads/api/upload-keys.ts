/** Every uploads query key hangs off `['uploads']`; a submitted archive invalidates that root. */
export const uploadKeys = {
  all: ['uploads'] as const,
  list: () => [...uploadKeys.all, 'list'] as const,
  regions: () => ['regions'] as const,
};
