import { describe, expect, it } from 'vitest';
import { makeUser } from '../../../shared/test/fixtures.ts';
import { alerts, click, getButton, getByLabel, json, problem, queryButton, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { authKeys } from '../api/auth-keys.ts';
import { LoginPage } from './login-page.tsx';

const OIDC_OFF = () => json(200, { oidc: { enabled: false, label: 'Войти с учетной записью ФИС ОКО' } });
const OIDC_ON = () => json(200, { oidc: { enabled: true, label: 'Войти с учетной записью ФИС ОКО' } });

describe('LoginPage', () => {
  it('shows the instruction’s login screen with labelled fields', async () => {
    stubApi({ 'GET /api/auth/config': OIDC_OFF });
    await render(<LoginPage />);

    expect(document.querySelector('h1')?.textContent).toBe('Коллектор');
    expect(getByLabel('Логин').getAttribute('autocomplete')).toBe('username');
    expect(getByLabel('Пароль').getAttribute('type')).toBe('password');
    expect(getButton('Войти').getAttribute('type')).toBe('submit');
    expect(getButton('Забыли пароль?').getAttribute('href')).toBe('/forgot-password');
  });

  it('hides «Войти с учетной записью ФИС ОКО» when the server has no provider configured', async () => {
    stubApi({ 'GET /api/auth/config': OIDC_OFF });
    const { queryClient } = await render(<LoginPage />);
    await waitFor(() => expect(queryClient.getQueryState(authKeys.config())?.status).toBe('success'));
    expect(queryButton('Войти с учетной записью ФИС ОКО')).toBeNull();
  });

  it('offers «Войти с учетной записью ФИС ОКО» as a link to the provider when configured', async () => {
    stubApi({ 'GET /api/auth/config': OIDC_ON });
    await render(<LoginPage />);
    await waitFor(() => expect(getButton('Войти с учетной записью ФИС ОКО').getAttribute('href')).toBe('/api/auth/oidc/start'));
  });

  it('catches empty fields before asking the server and puts focus on the first one', async () => {
    const api = stubApi({ 'GET /api/auth/config': OIDC_OFF });
    await render(<LoginPage />);

    await click(getButton('Войти'));

    const login = getByLabel('Логин');
    expect(login.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(login.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Введите логин');
    expect(getByLabel('Пароль').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(login);
    expect(api.calls.some((call) => call.path === '/api/auth/login')).toBe(false);
  });

  it('announces a wrong password in Russian and clears the password for the next try', async () => {
    const api = stubApi({
      'GET /api/auth/config': OIDC_OFF,
      'POST /api/auth/login': () => problem(401, 'invalid_credentials', 'Неверный логин или пароль'),
    });
    await render(<LoginPage />);

    await type(getByLabel('Логин'), 'spo_coord_77');
    await type(getByLabel('Пароль'), 'wrong-password');
    await click(getButton('Войти'));

    await waitFor(() => expect(alerts()).toEqual(['Неверный логин или пароль']));
    expect(api.calls.find((call) => call.path === '/api/auth/login')?.body).toEqual({ login: 'spo_coord_77', password: 'wrong-password' });
    expect(getByLabel('Пароль').value).toBe('');
    expect(getByLabel('Логин').value).toBe('spo_coord_77');
    expect(document.activeElement).toBe(getByLabel('Пароль'));
  });

  it('shows how long to wait when sign-in is rate-limited', async () => {
    stubApi({
      'GET /api/auth/config': OIDC_OFF,
      'POST /api/auth/login': () =>
        problem(429, 'too_many_attempts', 'Слишком много неудачных попыток входа. Повторите позже', {}, { 'retry-after': '120' }),
    });
    await render(<LoginPage />);

    await type(getByLabel('Логин'), 'spo_coord_77');
    await type(getByLabel('Пароль'), 'x');
    await click(getButton('Войти'));

    await waitFor(() => expect(alerts()).toEqual(['Слишком много неудачных попыток входа. Повторите через 2 минуты.']));
  });

  it('moves on to the page the person asked for after a successful sign-in', async () => {
    window.history.replaceState(null, '', '/login?next=%2Fcompleteness');
    stubApi({ 'GET /api/auth/config': OIDC_OFF, 'POST /api/auth/login': () => json(200, { user: makeUser() }) });
    await render(<LoginPage />);

    await type(getByLabel('Логин'), 'spo_coord_77');
    await type(getByLabel('Пароль'), 'correct-password');
    await click(getButton('Войти'));

    await waitFor(() => expect(window.location.pathname).toBe('/completeness'));
  });

  it('explains why a ФИС ОКО sign-in came back with an error', async () => {
    window.history.replaceState(null, '', '/login?error=oidc_user_unknown');
    stubApi({ 'GET /api/auth/config': OIDC_ON });
    await render(<LoginPage />);

    expect(alerts()).toEqual([
      'Учетная запись ФИС ОКО не найдена среди пользователей коллектора. Обратитесь к администратору или войдите по логину и паролю.',
    ]);
  });
});
