import { RegistryImportResponseSchema } from '@collector/contracts';
import type { RegistryImportResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { registryKeys } from './registry-keys.ts';

/** Sends the registry CSV as multipart field `file`; a file with bad rows fails with code `registry_invalid`. */
export function importRegistry(file: File): Promise<RegistryImportResponse> {
  const body = new FormData();
  body.append('file', file, file.name);
  return apiRequest('/api/registry/import', RegistryImportResponseSchema, { method: 'POST', body });
}

export function useImportRegistry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importRegistry,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.all }),
  });
}
