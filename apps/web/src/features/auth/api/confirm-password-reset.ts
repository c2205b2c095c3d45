import { OkResponseSchema } from '@collector/contracts';
import type { OkResponse, PasswordResetConfirm } from '@collector/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';

export function confirmPasswordReset(request: PasswordResetConfirm): Promise<OkResponse> {
  return apiRequest('/api/auth/password-reset/confirm', OkResponseSchema, { method: 'POST', body: request });
}

export function useConfirmPasswordReset() {
  return useMutation({ mutationFn: confirmPasswordReset });
}
