import { PasswordResetRequestSchema } from '@collector/contracts';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { Link } from '../../../shared/router/router.tsx';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useRequestPasswordReset } from '../api/request-password-reset.ts';
import { AuthCard } from './auth-card.tsx';
import { LoginField } from './login-field.tsx';

export function ForgotPasswordPage() {
  useDocumentTitle('Восстановление пароля');
  const request = useRequestPasswordReset();
  const [login, setLogin] = useState('');
  const [loginError, setLoginError] = useState<string | undefined>(undefined);
  const loginRef = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    const parsed = PasswordResetRequestSchema.safeParse({ login });
    if (!parsed.success) {
      setLoginError(parsed.error.issues[0]?.message ?? 'Введите логин');
      loginRef.current?.focus();
      return;
    }
    setLoginError(undefined);
    request.mutate(parsed.data);
  };

  if (request.isSuccess) {
    // The same words whether or not the login exists: the page must not confirm accounts to a stranger.
    return (
      <AuthCard title="Восстановление пароля">
        <Alert tone="success" title="Ссылка отправлена">
          <p>
            Ссылка для смены пароля отправлена на адрес электронной почты, указанный в учетной записи. Ссылка действует один час
            и открывается один раз.
          </p>
          <p>Если письмо не пришло в течение нескольких минут, проверьте папку «Спам» или обратитесь к администратору.</p>
        </Alert>
        <p className="auth__links">
          <Link to="/login">Вернуться ко входу</Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Восстановление пароля">
      <p className="auth__lead">Введите логин — мы отправим ссылку для смены пароля на электронную почту, указанную в учетной записи.</p>
      {request.isError ? <Alert tone="error">{errorMessage(request.error)}</Alert> : null}
      <form className="form" noValidate onSubmit={onSubmit}>
        <LoginField
          ref={loginRef}
          value={login}
          onChange={(event) => setLogin(event.target.value)}
          error={loginError}
        />
        <Button type="submit" variant="primary" wide busy={request.isPending} busyLabel="Отправляем…">
          Получить ссылку
        </Button>
      </form>
      <p className="auth__links">
        <Link to="/login">Вернуться ко входу</Link>
      </p>
    </AuthCard>
  );
}
