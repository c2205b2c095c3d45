import { describe, expect, it } from 'vitest';
import { ADMIN, makeUser } from '../shared/test/fixtures.ts';
import { click, getButton, json, problem, queryButton, render, stubApi, waitFor } from '../shared/test/render.tsx';
import { App } from './app.tsx';
import { createQueryClient } from './query-client.ts';

const UNAUTHENTICATED = () => problem(401, 'unauthenticated', 'Войдите в систему');
const CONFIG = () => json(200, { oidc: { enabled: false, label: 'Войти с учетной записью ФИС ОКО' } });

function tabNames(): string[] {
  return [...document.querySelectorAll('nav[aria-label="Разделы"] a')].map((link) => link.textContent.trim());
}

async function renderApp() {
  return render(<App queryClient={createQueryClient()} />);
}

describe('App routes', () => {
  it('sends a signed-out visitor to the login page and remembers where they were going', async () => {
    window.history.replaceState(null, '', '/completeness');
    stubApi({ 'GET /api/auth/me': UNAUTHENTICATED, 'GET /api/auth/config': CONFIG });
    await renderApp();

    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fcompleteness'));
    await waitFor(() => expect(document.querySelector('h1')?.textContent).toBe('Коллектор'));
  });

  it('shows a coordinator the three tabs and their region, without user management', async () => {
    stubApi({ 'GET /api/auth/me': () => json(200, { user: makeUser() }) });
    await renderApp();

    await waitFor(() => expect(tabNames()).toEqual(['Коллектор', 'Загрузка результатов', 'Проверка комплектности сданных материалов']));
    expect(document.querySelector('header')?.textContent).toContain('Иванова Мария Петровна');
    expect(document.querySelector('header')?.textContent).toContain('Регион 77');
    expect(document.querySelector('nav a[aria-current="page"]')?.textContent).toBe('Коллектор');
  });

  it('gives each tab its own URL', async () => {
    stubApi({ 'GET /api/auth/me': () => json(200, { user: makeUser() }) });
    await renderApp();
    await waitFor(() => expect(tabNames()).toHaveLength(3));

    await click(getButton('Проверка комплектности сданных материалов'));

    expect(window.location.pathname).toBe('/completeness');
    expect(document.querySelector('h1')?.textContent).toBe('Проверка комплектности сданных материалов');
    expect(document.querySelector('nav a[aria-current="page"]')?.textContent).toBe('Проверка комплектности сданных материалов');
    // screen readers hear where they arrived
    expect(document.activeElement).toBe(document.querySelector('h1'));
  });

  it('tells a coordinator who opens /users that it is for the administrator', async () => {
    window.history.replaceState(null, '', '/users');
    const api = stubApi({ 'GET /api/auth/me': () => json(200, { user: makeUser() }) });
    await renderApp();

    await waitFor(() => expect(document.querySelector('h1')?.textContent).toBe('Нет доступа'));
    expect(api.calls.some((call) => call.path === '/api/users')).toBe(false);
  });

  it('shows the admin «Все регионы» and the «Пользователи» tab', async () => {
    stubApi({ 'GET /api/auth/me': () => json(200, { user: ADMIN }) });
    await renderApp();

    await waitFor(() => expect(tabNames()).toContain('Пользователи'));
    expect(document.querySelector('header')?.textContent).toContain('Все регионы');
    expect(document.querySelector('header')?.textContent).toContain('admin');
  });

  it('signs out on the server and returns to the login page', async () => {
    const api = stubApi({
      'GET /api/auth/me': () => json(200, { user: makeUser() }),
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
      'GET /api/auth/config': CONFIG,
    });
    await renderApp();
    await waitFor(() => expect(queryButton('Выйти')).not.toBeNull());

    await click(getButton('Выйти'));

    await waitFor(() => expect(window.location.pathname).toBe('/login'));
    expect(api.calls.some((call) => call.method === 'POST' && call.path === '/api/auth/logout')).toBe(true);
    expect(document.querySelector('header')).toBeNull();
  });

  it('returns to the login page when the session turns out to be over', async () => {
    window.history.replaceState(null, '', '/users');
    stubApi({
      'GET /api/auth/me': () => json(200, { user: ADMIN }),
      'GET /api/users': UNAUTHENTICATED,
      'GET /api/auth/config': CONFIG,
    });
    await renderApp();

    await waitFor(() => expect(window.location.pathname).toBe('/login'));
  });
});
