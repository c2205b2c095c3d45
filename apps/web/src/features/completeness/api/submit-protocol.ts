import { ProtocolResponseSchema } from '@collector/contracts';
import type { ImportProtocolRequest, ProtocolResponse, SubmitProtocolRequest } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys, schoolPath } from './completeness-keys.ts';

export function submitProtocol(school: string, request: SubmitProtocolRequest): Promise<ProtocolResponse> {
  return apiRequest(`${schoolPath(school)}/protocol`, ProtocolResponseSchema, { method: 'POST', body: request });
}

export function importProtocol(school: string, request: ImportProtocolRequest): Promise<ProtocolResponse> {
  return apiRequest(`${schoolPath(school)}/protocol/import`, ProtocolResponseSchema, { method: 'POST', body: request });
}

export function useSubmitProtocol(school: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: { form: SubmitProtocolRequest } | { csv: ImportProtocolRequest }) =>
      'form' in request ? submitProtocol(school, request.form) : importProtocol(school, request.csv),
    onSuccess: () => client.invalidateQueries({ queryKey: completenessKeys.all }),
  });
}
