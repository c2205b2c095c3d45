import { expect, test } from '@playwright/test';
import { createUserAsAdmin, signIn, signOut } from '../support/auth.ts';
import { resetLinkFor } from '../support/outbox.ts';
import { screenshot } from '../support/screenshots.ts';

const dataDir = process.env['E2E_DATA_DIR'] ?? '';

test('«Забыли пароль?» sends a one-time link that sets a new password', async ({ page, playwright, baseURL }, testInfo) => {
  expect(dataDir, 'playwright.config.ts sets E2E_DATA_DIR').not.toBe('');
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, {
    login: 'op_77_ivanova',
    role: 'operator',
    regionCode: '77',
    fullName: 'Иванова Ольга',
    email: 'op77@example.ru',
    password: 'First-password-2026',
  });
  await admin.dispose();

  await page.goto('/login');
  await page.getByRole('link', { name: 'Забыли пароль?' }).click();
  await expect(page).toHaveURL('/forgot-password');
  await page.getByLabel('Логин', { exact: true }).fill('op_77_ivanova');
  await page.getByRole('button', { name: 'Получить ссылку' }).click();
  await expect(page.getByRole('status')).toContainText('Ссылка для смены пароля отправлена');
  await screenshot(page, testInfo, 'forgot-password-sent');

  await expect.poll(() => resetLinkFor(dataDir, 'op_77_ivanova')).toMatch(/^\/reset-password\?token=/);
  const link = (await resetLinkFor(dataDir, 'op_77_ivanova')) ?? '';

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Новый пароль');
  await page.getByLabel('Новый пароль').fill('Second-password-2026');
  await page.getByLabel('Повторите пароль').fill('Second-password-2026x');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByLabel('Повторите пароль')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, testInfo, 'reset-password-mismatch');

  await page.getByLabel('Повторите пароль').fill('Second-password-2026');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByRole('status')).toContainText('Пароль изменён');
  await page.getByRole('link', { name: 'Войти' }).click();

  await signIn(page, 'op_77_ivanova', 'Second-password-2026');
  await expect(page.getByRole('banner')).toContainText('Регион 77');
  await signOut(page);

  // The link works once.
  await page.goto(link);
  await page.getByLabel('Новый пароль').fill('Third-password-2026');
  await page.getByLabel('Повторите пароль').fill('Third-password-2026');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByRole('alert')).toContainText('недействительна');
  await expect(page.getByRole('link', { name: 'Запросить новую ссылку' })).toBeVisible();
});
