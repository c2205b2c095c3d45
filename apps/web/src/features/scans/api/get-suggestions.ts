import { SuggestionsResponseSchema } from '@collector/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { scanKeys } from './scan-keys.ts';

/** «НОМЕР БЛАНКА» suggestions of one scan version; `prefix` adds registry autocomplete for the digits typed. */
export function useSuggestions(scanId: string, version: number, prefix: string) {
  return useQuery({
    queryKey: scanKeys.suggestions(scanId, version, prefix),
    queryFn: ({ signal }) =>
      apiRequest(`/api/scans/${encodeURIComponent(scanId)}/suggestions${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`, SuggestionsResponseSchema, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
