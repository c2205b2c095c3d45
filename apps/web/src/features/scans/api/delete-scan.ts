import { DeleteScanResponseSchema } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { scanKeys } from './scan-keys.ts';
import { sendWithVersion } from './send-with-version.ts';

/** «Удалить»: the answer carries the instruction to rescan the blank and upload it again. */
export function useDeleteScan(uploadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ scanId, version }: { scanId: string; version: number }) => sendWithVersion(`/api/scans/${encodeURIComponent(scanId)}`, 'DELETE', version, DeleteScanResponseSchema),
    onSettled: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: scanKeys.upload(uploadId) }), queryClient.invalidateQueries({ queryKey: ['uploads'] })]);
    },
  });
}
