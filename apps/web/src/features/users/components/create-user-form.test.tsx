import { describe, expect, it } from 'vitest';
import { makeUser } from '../../../shared/test/fixtures.ts';
import { alerts, click, getButton, getByLabel, json, problem, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { CreateUserForm, toCreateUserRequest } from './create-user-form.tsx';
import type { CreateUserDraft } from './create-user-form.tsx';

const draft = (overrides: Partial<CreateUserDraft> = {}): CreateUserDraft => ({
  login: 'spo_coord_77',
  role: 'coordinator',
  regionCode: '77',
  fullName: '',
  email: '',
  password: '',
  ...overrides,
});

describe('toCreateUserRequest', () => {
  it('leaves out empty optional fields so the server generates the password', () => {
    expect(toCreateUserRequest(draft())).toEqual({ ok: true, request: { login: 'spo_coord_77', role: 'coordinator', regionCode: '77' } });
  });

  it('gives the admin no region whatever was typed before switching the role', () => {
    expect(toCreateUserRequest(draft({ login: 'admin2', role: 'admin', regionCode: '77' }))).toEqual({
      ok: true,
      request: { login: 'admin2', role: 'admin', regionCode: null },
    });
  });

  it('requires a region for coordinators and operators', () => {
    const result = toCreateUserRequest(draft({ role: 'operator', regionCode: ' ' }));
    expect(result).toEqual({ ok: false, errors: { regionCode: 'Укажите код региона: у координатора и оператора он обязателен' } });
  });

  it('reports each bad field in Russian', () => {
    const result = toCreateUserRequest(draft({ login: 'коорд 77', regionCode: '7a', email: 'not-an-email', password: 'short' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      login: 'Логин — латинские буквы, цифры, точка, дефис, подчёркивание',
      regionCode: 'Код региона — две или три цифры',
      email: 'Введите адрес электронной почты, например ivanova@example.ru',
      password: 'Пароль должен быть не короче 10 символов',
    });
  });

  it('asks for a login when none was typed', () => {
    const result = toCreateUserRequest(draft({ login: '   ' }));
    expect(result).toEqual({ ok: false, errors: { login: 'Введите логин' } });
  });

  it('trims the login and keeps a chosen password', () => {
    const result = toCreateUserRequest(draft({ login: '  op_77_ivanova ', role: 'operator', password: 'long-enough-1', fullName: 'Иванова' }));
    expect(result).toEqual({
      ok: true,
      request: { login: 'op_77_ivanova', role: 'operator', regionCode: '77', password: 'long-enough-1', fullName: 'Иванова' },
    });
  });
});

describe('CreateUserForm', () => {
  it('shows «login taken» beside the login field and keeps what was typed', async () => {
    stubApi({ 'POST /api/users': () => problem(409, 'login_taken', 'Пользователь с таким логином уже существует') });
    const created: unknown[] = [];
    await render(<CreateUserForm onCreated={(response) => created.push(response)} onCancel={() => {}} />);

    await type(getByLabel('Логин'), 'spo_coord_77');
    await type(getByLabel('Регион'), '77');
    await click(getButton('Создать пользователя'));

    const login = getByLabel('Логин');
    await waitFor(() => expect(login.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(login.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '')?.textContent).toBe(
      'Пользователь с таким логином уже существует',
    );
    expect(document.activeElement).toBe(login);
    expect(login.value).toBe('spo_coord_77');
    expect(created).toEqual([]);
  });

  it('shows the server’s Russian reason for a guessable password beside the password field', async () => {
    const reason = 'Пароль слишком легко подобрать. Последовательности вроде 1234567890 или abcdef легко угадать.';
    stubApi({ 'POST /api/users': () => problem(400, 'weak_password', 'Пароль слишком легко подобрать. Придумайте другой', { detail: reason, errors: [{ path: 'body.password', message: reason }] }) });
    await render(<CreateUserForm onCreated={() => {}} onCancel={() => {}} />);

    await type(getByLabel('Логин'), 'op_77_petrov');
    await type(getByLabel('Регион'), '77');
    await type(getByLabel('Пароль'), '1234567890');
    await click(getButton('Создать пользователя'));

    const password = getByLabel('Пароль');
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(password.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '')?.textContent).toBe(reason);
    expect(document.activeElement).toBe(password);
  });

  it('hides the region for an administrator and sends none', async () => {
    const api = stubApi({ 'POST /api/users': () => json(201, { user: makeUser({ login: 'admin2', role: 'admin', regionCode: null }) }) });
    const created: unknown[] = [];
    await render(<CreateUserForm onCreated={(response) => created.push(response)} onCancel={() => {}} />);

    await type(getByLabel('Логин'), 'admin2');
    await type(getByLabel('Роль'), 'admin');
    expect(() => getByLabel('Регион')).toThrow();
    await click(getButton('Создать пользователя'));

    await waitFor(() => expect(created).toHaveLength(1));
    expect(api.calls[0]?.body).toEqual({ login: 'admin2', role: 'admin', regionCode: null });
    expect(alerts()).toEqual([]);
  });
});
