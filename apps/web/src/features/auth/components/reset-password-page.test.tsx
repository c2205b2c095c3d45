import { describe, expect, it } from 'vitest';
import { alerts, click, getButton, getByLabel, json, problem, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { ResetPasswordPage, validateNewPassword } from './reset-password-page.tsx';

const TOKEN = 'b2s7Xq0m3LrT9vWc1YdE5fGh';

describe('validateNewPassword', () => {
  it('asks for at least ten characters typed the same twice', () => {
    expect(validateNewPassword('short', 'short')).toEqual({ password: 'Пароль должен быть не короче 10 символов' });
    expect(validateNewPassword('long-enough-1', '')).toEqual({ repeat: 'Повторите пароль' });
    expect(validateNewPassword('long-enough-1', 'long-enough-2')).toEqual({ repeat: 'Пароли не совпадают' });
    expect(validateNewPassword('long-enough-1', 'long-enough-1')).toEqual({});
  });
});

describe('ResetPasswordPage', () => {
  it('sends the token from the link with the new password', async () => {
    window.history.replaceState(null, '', `/reset-password?token=${TOKEN}`);
    const api = stubApi({ 'POST /api/auth/password-reset/confirm': () => json(200, { ok: true }) });
    await render(<ResetPasswordPage />);

    await type(getByLabel('Новый пароль'), 'Новый-пароль-2026');
    await type(getByLabel('Повторите пароль'), 'Новый-пароль-2026');
    await click(getButton('Сохранить пароль'));

    await waitFor(() => expect(document.body.textContent).toContain('Пароль изменён'));
    expect(api.calls[0]?.body).toEqual({ token: TOKEN, password: 'Новый-пароль-2026' });
    expect(getButton('Войти').getAttribute('href')).toBe('/login');
  });

  it('does not send mismatched passwords', async () => {
    window.history.replaceState(null, '', `/reset-password?token=${TOKEN}`);
    const api = stubApi({});
    await render(<ResetPasswordPage />);

    await type(getByLabel('Новый пароль'), 'long-enough-1');
    await type(getByLabel('Повторите пароль'), 'long-enough-2');
    await click(getButton('Сохранить пароль'));

    expect(getByLabel('Повторите пароль').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(getByLabel('Повторите пароль'));
    expect(api.calls).toEqual([]);
  });

  it('shows the server’s Russian reason for a guessable password beside the field', async () => {
    window.history.replaceState(null, '', `/reset-password?token=${TOKEN}`);
    const reason = 'Пароль слишком легко подобрать. Повторы вроде «aaaaaa» легко угадать.';
    stubApi({ 'POST /api/auth/password-reset/confirm': () => problem(400, 'weak_password', 'Пароль слишком легко подобрать. Придумайте другой', { detail: reason }) });
    await render(<ResetPasswordPage />);

    await type(getByLabel('Новый пароль'), 'aaaaaaaaaa');
    await type(getByLabel('Повторите пароль'), 'aaaaaaaaaa');
    await click(getButton('Сохранить пароль'));

    const password = getByLabel('Новый пароль');
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(password.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '')?.textContent).toBe(reason);
    expect(alerts()).toEqual([]);
  });

  it('offers a new link when the token is used up or expired', async () => {
    window.history.replaceState(null, '', `/reset-password?token=${TOKEN}`);
    stubApi({
      'POST /api/auth/password-reset/confirm': () =>
        problem(400, 'reset_token_invalid', 'Ссылка для сброса пароля недействительна или устарела. Запросите новую'),
    });
    await render(<ResetPasswordPage />);

    await type(getByLabel('Новый пароль'), 'long-enough-1');
    await type(getByLabel('Повторите пароль'), 'long-enough-1');
    await click(getButton('Сохранить пароль'));

    await waitFor(() => expect(alerts()[0]).toContain('Ссылка для сброса пароля недействительна или устарела'));
    expect(getButton('Запросить новую ссылку').getAttribute('href')).toBe('/forgot-password');
  });

  it('explains a link without a token', async () => {
    window.history.replaceState(null, '', '/reset-password');
    await render(<ResetPasswordPage />);
    expect(alerts()[0]).toMatch(/^Ссылка неполная/);
  });
});
