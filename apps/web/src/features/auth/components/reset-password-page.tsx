import { NewPasswordSchema, PASSWORD_MIN_LENGTH } from '@collector/contracts';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage, isApiError } from '../../../shared/api/api-error.ts';
import { fieldErrorsFromProblem } from '../../../shared/forms/field-errors.ts';
import type { FieldErrors } from '../../../shared/forms/field-errors.ts';
import { Link, useLocation } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useConfirmPasswordReset } from '../api/confirm-password-reset.ts';
import { AuthCard } from './auth-card.tsx';

type Field = 'password' | 'repeat';

/** Client-side checks mirror the contract, so most mistakes are caught before a round trip. */
export function validateNewPassword(password: string, repeat: string): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  const parsed = NewPasswordSchema.safeParse(password);
  if (!parsed.success) errors.password = parsed.error.issues[0]?.message ?? `Не короче ${PASSWORD_MIN_LENGTH} символов`;
  if (repeat === '') errors.repeat = 'Повторите пароль';
  else if (repeat !== password) errors.repeat = 'Пароли не совпадают';
  return errors;
}

export function ResetPasswordPage() {
  useDocumentTitle('Новый пароль');
  const token = useLocation().searchParams.get('token') ?? '';
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  if (token === '') {
    return (
      <AuthCard title="Новый пароль">
        <Alert tone="error">Ссылка неполная: в ней нет кода для смены пароля. Откройте ссылку из письма целиком или запросите новую.</Alert>
        <p className="auth__links">
          <Link to="/forgot-password">Запросить новую ссылку</Link>
        </p>
      </AuthCard>
    );
  }

  if (confirm.isSuccess) {
    return (
      <AuthCard title="Новый пароль">
        <Alert tone="success" title="Пароль изменён">
          Теперь войдите с новым паролем.
        </Alert>
        <p className="auth__links">
          <Link to="/login">Войти</Link>
        </p>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm.isPending) return;
    const errors = validateNewPassword(password, repeat);
    setFieldErrors(errors);
    if (errors.password !== undefined || errors.repeat !== undefined) {
      (errors.password !== undefined ? passwordRef : repeatRef).current?.focus();
      return;
    }
    confirm.mutate(
      { token, password },
      {
        onError: (error) => {
          if (isApiError(error, 'validation_failed')) setFieldErrors(fieldErrorsFromProblem(error.fieldErrors, ['password']));
          // the server judges how guessable the password is and says why in Russian
          if (isApiError(error, 'weak_password')) {
            setFieldErrors({ password: error.userMessage });
            passwordRef.current?.focus();
          }
        },
      },
    );
  };

  const tokenInvalid = isApiError(confirm.error, 'reset_token_invalid');

  return (
    <AuthCard title="Новый пароль">
      <p className="auth__lead">Придумайте новый пароль — не короче {PASSWORD_MIN_LENGTH} символов — и введите его дважды.</p>
      {confirm.isError && !isApiError(confirm.error, 'weak_password') ? (
        <Alert tone="error">
          <p>{errorMessage(confirm.error)}</p>
          {tokenInvalid ? (
            <p>
              <Link to="/forgot-password">Запросить новую ссылку</Link>
            </p>
          ) : null}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit}>
        <TextField
          ref={passwordRef}
          label="Новый пароль"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`Не короче ${PASSWORD_MIN_LENGTH} символов. Лучше несколько несвязанных слов; простые пароли не принимаются`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldErrors.password}
        />
        <TextField
          ref={repeatRef}
          label="Повторите пароль"
          name="repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={fieldErrors.repeat}
        />
        <Button type="submit" variant="primary" wide busy={confirm.isPending} busyLabel="Сохраняем…">
          Сохранить пароль
        </Button>
      </form>
      <p className="auth__links">
        <Link to="/login">Вернуться ко входу</Link>
      </p>
    </AuthCard>
  );
}
