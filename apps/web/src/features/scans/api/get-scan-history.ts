import { ScanHistoryResponseSchema } from '@collector/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { scanKeys } from './scan-keys.ts';

export function useScanHistory(scanId: string, enabled: boolean) {
  return useQuery({
    queryKey: scanKeys.history(scanId),
    queryFn: ({ signal }) => apiRequest(`/api/scans/${encodeURIComponent(scanId)}/history`, ScanHistoryResponseSchema, { signal }),
    enabled,
  });
}
