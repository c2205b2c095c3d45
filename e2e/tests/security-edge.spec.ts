import { expect, test, type Page } from '@playwright/test';
import { createUserAsAdmin, signIn, signOut } from '../support/auth.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../support/credentials.ts';
import { resetLinkFor } from '../support/outbox.ts';
import { screenshot } from '../support/screenshots.ts';

const dataDir = process.env['E2E_DATA_DIR'] ?? '';

/** Everything the browser complains about: console errors, uncaught exceptions and CSP violations. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

async function cspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

test('the whole app works under the strict CSP with a clean console', async ({ page }, testInfo) => {
  const problems = watchConsole(page);
  await cspViolations(page);

  const response = await page.goto('/login');
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');

  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Разделы' });
  for (const label of ['Загрузка результатов', 'Проверка комплектности сданных материалов', 'Реестр', 'Пользователи', 'Коллектор']) {
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await screenshot(page, testInfo, 'csp-collector-admin');

  // the user form: a guessable password is refused with the server's Russian reason beside the field
  await nav.getByRole('link', { name: 'Пользователи', exact: true }).click();
  await page.getByRole('button', { name: 'Добавить пользователя' }).click();
  const form = page.getByRole('form', { name: 'Новый пользователь' });
  await form.getByLabel('Логин').fill('op_77_petrova');
  await form.getByLabel('Регион').fill('77');
  await form.getByLabel('Пароль').fill('1234567890');
  await form.getByRole('button', { name: 'Создать пользователя' }).click();
  await expect(form.getByLabel('Пароль')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Пароль слишком легко подобрать.');
  await screenshot(page, testInfo, 'user-form-weak-password');
  await form.getByLabel('Пароль').fill('сосна-пуговица-ливень');
  await form.getByRole('button', { name: 'Создать пользователя' }).click();
  await expect(page.getByRole('cell', { name: 'op_77_petrova' })).toBeVisible();

  await signOut(page);
  // a 404 problem and a 401 before sign-in are expected answers, not console noise the app caused
  expect(problems.filter((p) => !/status of 40[014]/.test(p))).toEqual([]);
});

test('the reset page shows why a password is refused, under the CSP', async ({ page, playwright, baseURL }, testInfo) => {
  expect(dataDir, 'playwright.config.ts sets E2E_DATA_DIR').not.toBe('');
  const problems = watchConsole(page);
  await cspViolations(page);
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, { login: 'op_50_sidorov', role: 'operator', regionCode: '50', email: 'op50@example.ru', password: 'Первый-пароль-2026' });
  await admin.dispose();

  const asked = await page.request.post('/api/auth/password-reset/request', { data: { login: 'op_50_sidorov' } });
  expect(asked.status()).toBe(202);
  await expect.poll(() => resetLinkFor(dataDir, 'op_50_sidorov')).toMatch(/^\/reset-password\?token=/);
  const link = (await resetLinkFor(dataDir, 'op_50_sidorov')) ?? '';

  await page.goto(link);
  await page.getByLabel('Новый пароль').fill('aaaaaaaaaa');
  await page.getByLabel('Повторите пароль').fill('aaaaaaaaaa');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByLabel('Новый пароль')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Повторы вроде «aaaaaa» легко угадать.')).toBeVisible();
  await screenshot(page, testInfo, 'reset-password-weak');

  await page.getByLabel('Новый пароль').fill('Ливень-над-сосной-2026');
  await page.getByLabel('Повторите пароль').fill('Ливень-над-сосной-2026');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByRole('status')).toContainText('Пароль изменён');
  expect(problems.filter((p) => !/status of 40[014]/.test(p))).toEqual([]);
});
