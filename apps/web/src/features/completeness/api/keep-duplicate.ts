import { KeepDuplicateResponseSchema } from '@collector/contracts';
import type { KeepDuplicateResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, schoolPath } from './completeness-keys.ts';

export function keepDuplicate(school: string, scanId: string): Promise<KeepDuplicateResponse> {
  return apiRequest(`${schoolPath(school)}/duplicates/keep`, KeepDuplicateResponseSchema, { method: 'POST', body: { scanId } });
}

export function useKeepDuplicate(school: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (scanId: string) => keepDuplicate(school, scanId),
    onSuccess: () => client.invalidateQueries({ queryKey: completenessKeys.all }),
  });
}
