import { NumberCheckResponseSchema } from '@collector/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { scanKeys } from './scan-keys.ts';

/** Before «Сохранить»: would the typed number be accepted, and which live scans already hold that blank. */
export function useNumberCheck(scanId: string, blankNumber: string, enabled: boolean) {
  return useQuery({
    queryKey: scanKeys.numberCheck(scanId, blankNumber),
    queryFn: ({ signal }) =>
      apiRequest(`/api/scans/${encodeURIComponent(scanId)}/number-check?blankNumber=${encodeURIComponent(blankNumber)}`, NumberCheckResponseSchema, { signal }),
    enabled,
    staleTime: 5_000,
  });
}
