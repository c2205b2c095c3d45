import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { assertStrongPassword, judgePassword } from './password-strength.ts';

describe('the password rule (zxcvbn-ts with the common, English and our Russian words)', () => {
  it.each([
    ['ten spaces', '          '],
    ['digits in a row', '1234567890'],
    ['one letter repeated', 'aaaaaaaaaa'],
    ['a keyboard row', 'qwertyuiop'],
    ['«пароль» typed in the Latin layout', 'gfhjkm12345'],
    ['a Russian word and digits', 'пароль12345'],
    ['the Cyrillic keyboard row', 'йцукенгшщз'],
    ['a common password', 'Password123'],
    ['the service’s name', 'Коллектор2026'],
  ])('refuses %s, with a Russian reason', async (_what, password) => {
    const verdict = await judgePassword(password);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^Пароль [а-яё ]+/);
  });

  it('refuses a password built on the login', async () => {
    const verdict = await judgePassword('spo_coord_77!', { login: 'spo_coord_77' });
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('логина') });
  });

  it.each(['сосна-пуговица-ливень', 'correct-horse-battery', 'Tr0ub4dor&3x', 'E2e-admin-password-2026', 'Admin-process-test-2026'])('accepts %s', async (password) => {
    expect((await judgePassword(password)).ok).toBe(true);
  });

  it('throws weak_password with the reason as the password field’s error', async () => {
    const thrown: unknown = await assertStrongPassword('1234567890').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'weak_password', status: 400, fieldErrors: [{ path: 'body.password' }] });
  });
});
