import { describe, expect, it } from 'vitest';
import { click, getButton, getByLabel, json, render, stubApi, type, waitFor } from '../../../shared/test/render.tsx';
import { ForgotPasswordPage } from './forgot-password-page.tsx';

describe('ForgotPasswordPage', () => {
  it('requests the link and says where it went without telling whether the login exists', async () => {
    const api = stubApi({ 'POST /api/auth/password-reset/request': () => json(202, { ok: true }) });
    await render(<ForgotPasswordPage />);

    await type(getByLabel('Логин'), ' spo_coord_77 ');
    await click(getButton('Получить ссылку'));

    await waitFor(() => expect(document.querySelector('[role="status"]')?.textContent).toContain('Ссылка для смены пароля отправлена'));
    expect(api.calls[0]?.body).toEqual({ login: 'spo_coord_77' });
  });

  it('asks for the login before sending anything', async () => {
    const api = stubApi({});
    await render(<ForgotPasswordPage />);

    await click(getButton('Получить ссылку'));

    expect(getByLabel('Логин').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls).toEqual([]);
  });
});
