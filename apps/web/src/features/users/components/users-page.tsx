import type { CreateUserResponse, User } from '@collector/contracts';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useDocumentTitle } from '../../../shared/ui/use-document-title.ts';
import { useUsers } from '../api/get-users.ts';
import { useUpdateUser } from '../api/update-user.ts';
import { CreateUserForm } from './create-user-form.tsx';
import { OneTimePassword } from './one-time-password.tsx';
import type { IssuedPassword } from './one-time-password.tsx';
import { UsersTable } from './users-table.tsx';

const countFormat = new Intl.NumberFormat('ru-RU');

export function UsersPage({ currentUserId }: { currentUserId: string }) {
  useDocumentTitle('Пользователи');
  const users = useUsers();
  const update = useUpdateUser();
  const [formOpen, setFormOpen] = useState(false);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const onCreated = ({ user, generatedPassword }: CreateUserResponse) => {
    setFormOpen(false);
    if (generatedPassword === undefined) {
      setIssued(null);
      setNotice(`Пользователь ${user.login} создан с заданным паролем.`);
    } else {
      setNotice(null);
      setIssued({ login: user.login, password: generatedPassword, reason: 'created' });
    }
  };

  const onToggleDisabled = (user: User) => {
    setNotice(null);
    update.mutate(
      { id: user.id, changes: { disabled: !user.disabled } },
      {
        onSuccess: ({ user: changed }) =>
          setNotice(changed.disabled ? `Пользователь ${changed.login} отключён: войти он не сможет.` : `Пользователь ${changed.login} снова может входить.`),
      },
    );
  };

  const onResetPassword = (user: User) => {
    setNotice(null);
    update.mutate(
      { id: user.id, changes: { resetPassword: true } },
      {
        onSuccess: ({ user: changed, generatedPassword }) => {
          if (generatedPassword === undefined) setNotice(`Пароль пользователя ${changed.login} сброшен.`);
          else setIssued({ login: changed.login, password: generatedPassword, reason: 'reset' });
        },
      },
    );
  };

  const list = users.data ?? [];

  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Пользователи</h1>
          <p className="page__lead">
            Региональные координаторы, операторы и администраторы коллектора.
            {users.isSuccess ? ` Всего: ${countFormat.format(list.length)}.` : ''}
          </p>
        </div>
        {formOpen ? null : (
          <Button
            variant="primary"
            onClick={() => {
              setFormOpen(true);
              setNotice(null);
            }}
          >
            Добавить пользователя
          </Button>
        )}
      </div>

      {issued === null ? null : <OneTimePassword issued={issued} onDone={() => setIssued(null)} />}
      {notice === null ? null : <Alert tone="success">{notice}</Alert>}
      {update.isError ? <Alert tone="error">{errorMessage(update.error)}</Alert> : null}
      {formOpen ? <CreateUserForm onCreated={onCreated} onCancel={() => setFormOpen(false)} /> : null}

      {users.isPending ? <p className="muted" role="status">Загружаем список пользователей…</p> : null}
      {users.isError ? <Alert tone="error">{errorMessage(users.error)}</Alert> : null}
      {users.isSuccess ? (
        <UsersTable
          users={list}
          currentUserId={currentUserId}
          busyUserId={update.isPending ? update.variables.id : null}
          onToggleDisabled={onToggleDisabled}
          onResetPassword={onResetPassword}
        />
      ) : null}
    </div>
  );
}
