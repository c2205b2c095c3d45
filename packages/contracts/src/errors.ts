import { z } from 'zod';
import { ArchiveCodeSchema } from './scan-codes.ts';

/** Stable error codes of the API. Clients switch on these, never on the message text. */
export const ErrorCodeSchema = z.enum([
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'account_disabled',
  'too_many_attempts',
  'forbidden',
  'not_found',
  'conflict',
  'login_taken',
  'region_required',
  'region_not_allowed',
  'reset_token_invalid',
  // a new password that is too easy to guess: the Russian reason is in `detail` and `errors[].message`
  'weak_password',
  // a state-changing request from another site (Origin / Sec-Fetch-Site)
  'origin_not_allowed',
  // a region code that is not in the list of regions
  'region_unknown',
  'region_exists',
  'request_timeout',
  'headers_too_large',
  'service_unavailable',
  'oidc_not_configured',
  'oidc_failed',
  'oidc_user_unknown',
  'payload_too_large',
  'internal_error',
  // archive-level rejection codes (DESIGN.md), from their one definition
  ...ArchiveCodeSchema.options,
  // a registry CSV with bad rows: nothing imported, every bad row in `errors`
  'registry_invalid',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** RFC 9457 problem details, as every error of the API is sent. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: ErrorCodeSchema,
  /** field errors; a rejected registry file adds the line, column and value of each bad row */
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        line: z.number().int().optional(),
        column: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
