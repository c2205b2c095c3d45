import { expect, test } from '@playwright/test';
import { signIn, signOut } from '../support/auth.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../support/credentials.ts';
import { screenshot } from '../support/screenshots.ts';

const TABS = ['Коллектор', 'Загрузка результатов', 'Проверка комплектности сданных материалов'] as const;

test('the admin creates a regional coordinator, who then signs in to region 77', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Коллектор' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Забыли пароль?' })).toBeVisible();
  await screenshot(page, testInfo, 'login');

  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Разделы' });
  await expect(nav.getByRole('link')).toHaveText([...TABS, 'Реестр', 'Пользователи']);
  await expect(page.getByRole('banner')).toContainText('Все регионы');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Коллектор');
  await screenshot(page, testInfo, 'collector-admin');

  // Each tab has its own address and its own page.
  for (const [name, url] of [
    ['Загрузка результатов', '/uploads'],
    ['Проверка комплектности сданных материалов', '/completeness'],
  ] as const) {
    await nav.getByRole('link', { name }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
    await screenshot(page, testInfo, url.slice(1));
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Проверка комплектности сданных материалов');

  await nav.getByRole('link', { name: 'Пользователи' }).click();
  await expect(page).toHaveURL('/users');
  await page.getByRole('button', { name: 'Добавить пользователя' }).click();
  const form = page.getByRole('form', { name: 'Новый пользователь' });
  await form.getByLabel('Логин', { exact: true }).fill('spo_coord_77');
  await expect(form.getByLabel('Роль', { exact: true })).toHaveValue('coordinator');
  await form.getByLabel('Регион', { exact: true }).fill('77');
  await form.getByLabel('ФИО', { exact: true }).fill('Иванова Мария Петровна');
  await form.getByLabel('Электронная почта').fill('coord77@example.ru');
  await screenshot(page, testInfo, 'users-create-form');
  await form.getByRole('button', { name: 'Создать пользователя' }).click();

  const generated = page.getByTestId('generated-password');
  await expect(generated).toBeVisible();
  const password = (await generated.textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(10);
  const row = page.getByRole('row', { name: /spo_coord_77/ });
  await expect(row.getByRole('cell')).toHaveText([
    'Иванова Мария Петровна',
    'региональный координатор',
    '77',
    'активен',
    'не входил',
    /Сбросить пароль/,
  ]);
  // The whole table, actions included, fits 1280 px without scrolling sideways.
  const table = page.getByRole('region', { name: 'Список пользователей' });
  expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(page, testInfo, 'users-created');
  await page.getByRole('button', { name: 'Готово, пароль передан' }).click();
  await expect(generated).toHaveCount(0);

  await signOut(page);
  // The session ended on the server, not just in the page.
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);

  await signIn(page, 'spo_coord_77', password);
  await expect(nav.getByRole('link')).toHaveText([...TABS]);
  await expect(page.getByRole('banner')).toContainText('Регион 77');
  await expect(page.getByRole('banner')).toContainText('Иванова Мария Петровна');
  await screenshot(page, testInfo, 'collector-coordinator');

  await page.goto('/users');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Нет доступа');
  expect((await page.request.get('/api/users')).status()).toBe(403);

  await signOut(page);
});

test('a wrong password is refused with a Russian message', async ({ page }, testInfo) => {
  await page.goto('/login');
  await page.getByLabel('Логин', { exact: true }).fill(ADMIN_LOGIN);
  await page.getByLabel('Пароль', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Войти', exact: true }).click();

  await expect(page.getByRole('alert')).toHaveText('Неверный логин или пароль');
  await expect(page.getByLabel('Пароль', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Пароль', { exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\/login$/);
  await screenshot(page, testInfo, 'login-wrong-password');
});

test('«Войти с учетной записью ФИС ОКО» explains in Russian when the provider cannot be reached', async ({ page }, testInfo) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Войти с учетной записью ФИС ОКО' }).click();

  await expect(page).toHaveURL(/\/login\?error=oidc_failed$/);
  await expect(page.getByRole('alert')).toHaveText(
    'Не удалось войти с учетной записью ФИС ОКО. Попробуйте ещё раз или войдите по логину и паролю.',
  );
  await screenshot(page, testInfo, 'login-oidc-failed');
});
