import { describe, expect, it } from 'vitest';
import { ADMIN, makeUser } from '../../../shared/test/fixtures.ts';
import { click, getButton, getByLabel, json, queryButton, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { UsersPage } from './users-page.tsx';

const COORDINATOR = makeUser();

function rows(): string[][] {
  return [...document.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].slice(0, 6).map((cell) => cell.textContent.trim()),
  );
}

describe('UsersPage', () => {
  it('lists users with Russian role names, regions, state and Russian dates', async () => {
    stubApi({ 'GET /api/users': () => json(200, { users: [ADMIN, COORDINATOR, makeUser({ id: '1e8b0f1c-0000-4000-8000-000000000001', login: 'op_50_petrov', fullName: 'Петров', role: 'operator', regionCode: '50', disabled: true, lastLoginAt: null })] }) });
    await render(<UsersPage currentUserId={ADMIN.id} />);

    await waitFor(() => expect(rows()).toHaveLength(3));
    const lastLogin = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'short', timeStyle: 'short' }).format(new Date('2026-11-26T07:05:00.000Z'));
    expect(rows()).toEqual([
      ['adminэто вы', '—', 'администратор', 'все', 'активен', lastLogin],
      ['spo_coord_77', 'Иванова Мария Петровна', 'региональный координатор', '77', 'активен', lastLogin],
      ['op_50_petrov', 'Петров', 'оператор', '50', 'отключён', 'не входил'],
    ]);
    expect(lastLogin).toMatch(/^26\.11\.2026, \d\d:\d\d$/);
    // nobody can lock themselves out from here
    expect(queryButton('Отключить admin')).toBeNull();
    expect(queryButton('Включить op_50_petrov')).not.toBeNull();
  });

  it('creates a user and shows the generated password once', async () => {
    let users = [ADMIN];
    const api = stubApi({
      'GET /api/users': () => json(200, { users }),
      'POST /api/users': () => {
        users = [ADMIN, COORDINATOR];
        return json(201, { user: COORDINATOR, generatedPassword: 'Kx7-pQ2m-Zr9w' });
      },
    });
    await render(<UsersPage currentUserId={ADMIN.id} />);
    await waitFor(() => expect(rows()).toHaveLength(1));

    await click(getButton('Добавить пользователя'));
    await type(getByLabel('Логин'), 'spo_coord_77');
    await type(getByLabel('Регион'), '77');
    await type(getByLabel('ФИО'), 'Иванова Мария Петровна');
    await click(getButton('Создать пользователя'));

    await waitFor(() => expect(document.querySelector('[data-testid="generated-password"]')?.textContent).toBe('Kx7-pQ2m-Zr9w'));
    expect(api.calls.find((call) => call.method === 'POST')?.body).toEqual({
      login: 'spo_coord_77',
      role: 'coordinator',
      regionCode: '77',
      fullName: 'Иванова Мария Петровна',
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(document.activeElement?.textContent).toBe('Пользователь spo_coord_77 создан');

    await click(getButton('Готово, пароль передан'));
    expect(document.body.textContent).not.toContain('Kx7-pQ2m-Zr9w');
  });

  it('resets a password only after a second, explicit click', async () => {
    const api = stubApi({
      'GET /api/users': () => json(200, { users: [ADMIN, COORDINATOR] }),
      [`PATCH /api/users/${COORDINATOR.id}`]: () => json(200, { user: COORDINATOR, generatedPassword: 'New-Secret-42' }),
    });
    await render(<UsersPage currentUserId={ADMIN.id} />);
    await waitFor(() => expect(rows()).toHaveLength(2));

    await click(getButton('Сбросить пароль spo_coord_77'));
    expect(api.calls.some((call) => call.method === 'PATCH')).toBe(false);
    await click(getButton('Да, сбросить пароль spo_coord_77'));

    await waitFor(() => expect(document.querySelector('[data-testid="generated-password"]')?.textContent).toBe('New-Secret-42'));
    expect(api.calls.find((call) => call.method === 'PATCH')?.body).toEqual({ resetPassword: true });
  });

  it('disables a user and says what that means', async () => {
    let coordinator = COORDINATOR;
    const api = stubApi({
      'GET /api/users': () => json(200, { users: [ADMIN, coordinator] }),
      [`PATCH /api/users/${COORDINATOR.id}`]: () => {
        coordinator = { ...COORDINATOR, disabled: true };
        return json(200, { user: coordinator });
      },
    });
    await render(<UsersPage currentUserId={ADMIN.id} />);
    await waitFor(() => expect(rows()).toHaveLength(2));

    await click(getButton('Отключить spo_coord_77'));

    await waitFor(() => expect(rows()[1]?.[4]).toBe('отключён'));
    expect(api.calls.find((call) => call.method === 'PATCH')?.body).toEqual({ disabled: true });
    expect(document.querySelector('[role="status"]')?.textContent).toBe('Пользователь spo_coord_77 отключён: войти он не сможет.');
  });
});
