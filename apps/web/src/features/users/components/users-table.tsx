import type { User } from '@collector/contracts';
import { useState } from 'react';
import { formatDateTime } from '../../../shared/format/format-date.ts';
import { roleLabel } from '../../../shared/format/user-labels.ts';
import { Button } from '../../../shared/ui/button.tsx';

type UsersTableProps = {
  users: readonly User[];
  currentUserId: string;
  /** id of the row whose request is running, to keep its buttons from being pressed twice */
  busyUserId: string | null;
  onToggleDisabled: (user: User) => void;
  onResetPassword: (user: User) => void;
};

/*
 * Below 900 px each row is laid out as a card (see .table--cards in styles.css). Changing the
 * display of table elements makes some browsers forget they are a table, so the roles are explicit.
 */
export function UsersTable({ users, currentUserId, busyUserId, onToggleDisabled, onResetPassword }: UsersTableProps) {
  // Resetting a password locks the person out of their current one, so it takes a second click.
  const [confirmResetId, setConfirmResetId] = useState<string | null>(null);

  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Список пользователей">
      <table className="table table--cards" role="table">
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Логин</th>
            <th scope="col" role="columnheader">ФИО</th>
            <th scope="col" role="columnheader">Роль</th>
            <th scope="col" role="columnheader">Регион</th>
            <th scope="col" role="columnheader">Состояние</th>
            <th scope="col" role="columnheader">Последний вход</th>
            <th scope="col" role="columnheader">
              <span className="visually-hidden">Действия</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {users.map((user) => {
            const isSelf = user.id === currentUserId;
            const busy = busyUserId === user.id;
            return (
              <tr key={user.id} role="row" className={user.disabled ? 'table__row--muted' : undefined}>
                <th scope="row" role="rowheader" className="table__login">
                  {user.login}
                  {isSelf ? <span className="tag">это вы</span> : null}
                </th>
                <td role="cell" data-label="ФИО">{user.fullName === '' ? <span className="muted">—</span> : user.fullName}</td>
                <td role="cell" data-label="Роль">{roleLabel(user.role)}</td>
                <td role="cell" data-label="Регион">{user.regionCode ?? <span className="muted">все</span>}</td>
                <td role="cell" data-label="Состояние">
                  <span className={user.disabled ? 'badge badge--off' : 'badge badge--on'}>{user.disabled ? 'отключён' : 'активен'}</span>
                </td>
                <td role="cell" data-label="Последний вход" className="table__nowrap">
                  {user.lastLoginAt === null ? <span className="muted">не входил</span> : formatDateTime(user.lastLoginAt)}
                </td>
                <td role="cell" className="table__actions">
                  <div className="table__action-list">
                    {confirmResetId === user.id ? (
                      <>
                        <Button
                          size="small"
                          variant="danger"
                          busy={busy}
                          busyLabel="Сбрасываем…"
                          onClick={() => {
                            setConfirmResetId(null);
                            onResetPassword(user);
                          }}
                        >
                          Да, сбросить<span className="visually-hidden"> пароль {user.login}</span>
                        </Button>
                        <Button size="small" variant="quiet" onClick={() => setConfirmResetId(null)}>
                          Отмена
                        </Button>
                      </>
                    ) : (
                      <>
                        <Button size="small" disabled={busy} onClick={() => setConfirmResetId(user.id)}>
                          Сбросить пароль<span className="visually-hidden"> {user.login}</span>
                        </Button>
                        {isSelf ? null : (
                          <Button size="small" variant={user.disabled ? 'secondary' : 'quiet'} disabled={busy} onClick={() => onToggleDisabled(user)}>
                            {user.disabled ? 'Включить' : 'Отключить'}
                            <span className="visually-hidden"> {user.login}</span>
                          </Button>
                        )}
                      </>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
