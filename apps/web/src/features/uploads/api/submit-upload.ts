import { UploadAcceptedSchema } from '@collector/contracts';
import type { SubmitUploadRequest, UploadAccepted } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { uploadKeys } from './upload-keys.ts';

export type SubmitUploadVariables = { id: string; password?: string | undefined };

/**
 * Hands a fully received archive to processing. The password travels here, once, and nowhere else:
 * never in the resumable upload's metadata, which the browser keeps in localStorage.
 */
export function submitUpload({ id, password }: SubmitUploadVariables): Promise<UploadAccepted> {
  const body: SubmitUploadRequest = password === undefined || password === '' ? {} : { password };
  return apiRequest(`/api/uploads/${encodeURIComponent(id)}/submit`, UploadAcceptedSchema, { method: 'POST', body });
}

export function useSubmitUpload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: submitUpload,
    onSettled: () => queryClient.invalidateQueries({ queryKey: uploadKeys.all }),
  });
}
