import type { FieldError } from '../api/api-error.ts';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

/** First message per top-level field from a failed contract `safeParse` (zod issues). */
export function fieldErrorsFromIssues<K extends string>(issues: readonly Issue[], fields: readonly K[]): FieldErrors<K> {
  const errors: FieldErrors<K> = {};
  for (const issue of issues) {
    const key = issue.path[0];
    if (typeof key !== 'string') continue;
    const field = fields.find((name) => name === key);
    if (field !== undefined && errors[field] === undefined) errors[field] = issue.message;
  }
  return errors;
}

/**
 * Field messages from a `validation_failed` problem. The server may spell a path as `login`,
 * `/login` or `body.login`; the field is the first segment that names one of ours.
 */
export function fieldErrorsFromProblem<K extends string>(errors: readonly FieldError[], fields: readonly K[]): FieldErrors<K> {
  const result: FieldErrors<K> = {};
  for (const error of errors) {
    const segments = error.path.split(/[./]/).filter((segment) => segment !== '');
    const field = fields.find((name) => segments.includes(name));
    if (field !== undefined && result[field] === undefined) result[field] = error.message;
  }
  return result;
}

/** Moves focus to the first field that has an error, so the person lands where the fix is needed. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}
