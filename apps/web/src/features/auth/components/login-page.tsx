import { LoginRequestSchema } from '@collector/contracts';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { isApiError, errorMessage } from '../../../shared/api/api-error.ts';
import { fieldErrorsFromIssues } from '../../../shared/forms/field-errors.ts';
import type { FieldErrors } from '../../../shared/forms/field-errors.ts';
import { Link, navigate, useLocation } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useAuthConfig } from '../api/get-auth-config.ts';
import { useLogin } from '../api/login.ts';
import { AuthCard } from './auth-card.tsx';
import { LoginField } from './login-field.tsx';
import { loginErrorMessage, oidcErrorMessage, safeNextPath } from './sign-in-messages.ts';

const FIELDS = ['login', 'password'] as const;
type Field = (typeof FIELDS)[number];

export const OIDC_START_PATH = '/api/auth/oidc/start';
/** The instruction's wording; the server may rename the provider through its configuration. */
const OIDC_DEFAULT_LABEL = 'Войти с учетной записью ФИС ОКО';

export function LoginPage() {
  useDocumentTitle('Коллектор');
  const { searchParams } = useLocation();
  const oidcError = searchParams.get('error');
  const next = safeNextPath(searchParams.get('next'));

  const config = useAuthConfig();
  const signIn = useLogin();

  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // After a failed attempt, focus goes where the person has to act next.
  useEffect(() => {
    if (attempt === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }, [attempt, fieldErrors]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const parsed = LoginRequestSchema.safeParse({ login, password });
    if (!parsed.success) {
      signIn.reset();
      setFieldErrors(fieldErrorsFromIssues(parsed.error.issues, FIELDS));
      setAttempt((n) => n + 1);
      return;
    }
    setFieldErrors({});
    signIn.mutate(parsed.data, {
      onSuccess: () => navigate(next, { replace: true }),
      onError: (error) => {
        if (isApiError(error, 'invalid_credentials')) {
          setPassword('');
          passwordRef.current?.focus();
        }
      },
    });
  };

  const submitError = signIn.error === null ? null : isApiError(signIn.error) ? loginErrorMessage(signIn.error) : errorMessage(signIn.error);
  const oidc = config.data?.oidc;

  return (
    <AuthCard title="Коллектор">
      {oidcError !== null && signIn.error === null ? <Alert tone="error">{oidcErrorMessage(oidcError)}</Alert> : null}
      {submitError === null ? null : <Alert tone="error">{submitError}</Alert>}
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit}>
        <LoginField
          value={login}
          onChange={(event) => setLogin(event.target.value)}
          error={fieldErrors.login}
        />
        <TextField
          ref={passwordRef}
          label="Пароль"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldErrors.password}
        />
        <Button type="submit" variant="primary" wide busy={signIn.isPending} busyLabel="Входим…">
          Войти
        </Button>
      </form>
      {oidc?.enabled === true ? (
        <a className="button button--secondary button--wide" href={OIDC_START_PATH}>
          {oidc.label.trim() === '' ? OIDC_DEFAULT_LABEL : oidc.label}
        </a>
      ) : null}
      <p className="auth__links">
        <Link to="/forgot-password">Забыли пароль?</Link>
      </p>
    </AuthCard>
  );
}
