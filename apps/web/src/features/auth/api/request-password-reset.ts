import { OkResponseSchema } from '@collector/contracts';
import type { OkResponse, PasswordResetRequest } from '@collector/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';

export function requestPasswordReset(request: PasswordResetRequest): Promise<OkResponse> {
  return apiRequest('/api/auth/password-reset/request', OkResponseSchema, { method: 'POST', body: request });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}
