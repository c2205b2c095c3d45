import { FillReviewResponseSchema } from '@collector/contracts';
import type { FillReviewRequest, FillReviewResponse } from '@collector/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { completenessKeys } from './completeness-keys.ts';

export function reviewFill(request: FillReviewRequest): Promise<FillReviewResponse> {
  return apiRequest('/api/completeness/fill-reviews', FillReviewResponseSchema, { method: 'POST', body: request });
}

export function useReviewFill() {
  const client = useQueryClient();
  return useMutation({ mutationFn: reviewFill, onSuccess: () => client.invalidateQueries({ queryKey: completenessKeys.all }) });
}
