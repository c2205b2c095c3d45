import { UpdateScanResponseSchema } from '@collector/contracts';
import type { Rotation, UpdateScanResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { scanKeys } from './scan-keys.ts';
import { sendWithVersion } from './send-with-version.ts';

export type ScanChange = { blankNumber: string } | { rotation: Rotation };

export function updateScan(scanId: string, version: number, change: ScanChange): Promise<UpdateScanResponse> {
  return sendWithVersion(`/api/scans/${encodeURIComponent(scanId)}`, 'PATCH', version, UpdateScanResponseSchema, change);
}

/** «Сохранить» or a turn; the upload's list and this scan's suggestions and history are asked again. */
export function useUpdateScan(uploadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ scanId, version, change }: { scanId: string; version: number; change: ScanChange }) => updateScan(scanId, version, change),
    onSettled: async (_data, _error, { scanId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: scanKeys.upload(uploadId) }),
        queryClient.invalidateQueries({ queryKey: scanKeys.scan(scanId) }),
        queryClient.invalidateQueries({ queryKey: ['uploads'] }),
      ]);
    },
  });
}
