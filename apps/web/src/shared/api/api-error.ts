import type { ErrorCode, Problem } from '@collector/contracts';

/**
 * Codes the client adds for failures that never reached a problem+json answer:
 * the network was down, or the server answered with something that is not our API.
 */
export type ClientErrorCode = 'network_error' | 'bad_response';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** A field of a form, or a row of a file (a rejected registry CSV names its line, column and value). */
export type FieldError = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: readonly FieldError[];
  /** Seconds the server asked us to wait (429 Retry-After), when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    code: ApiErrorCode;
    status: number;
    title: string;
    detail?: string | undefined;
    fieldErrors?: readonly FieldError[] | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The Russian sentence to show a person: the server's detail, else its title. */
  get userMessage(): string {
    return this.detail ?? this.title;
  }

  static fromProblem(problem: Problem, retryAfterSeconds?: number): ApiError {
    return new ApiError({
      code: problem.code,
      status: problem.status,
      title: problem.title,
      detail: problem.detail,
      fieldErrors: problem.errors,
      retryAfterSeconds,
    });
  }
}

export function isApiError(error: unknown, code?: ApiErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** A message for any thrown value, so components never render `[object Object]`. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  return 'Что-то пошло не так. Обновите страницу и попробуйте ещё раз.';
}
