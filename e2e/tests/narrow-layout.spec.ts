import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { createUserAsAdmin, signIn, signOut } from '../support/auth.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from '../support/credentials.ts';
import { screenshot } from '../support/screenshots.ts';

test.use({ viewport: { width: 768, height: 1024 } });

/** Nothing may stick out sideways: at 768 px the page itself must not scroll horizontally. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('every screen stays usable at 768 px', async ({ page, playwright, baseURL }, testInfo) => {
  // A realistic list, so the users table is judged with long names and every row action.
  const admin = await playwright.request.newContext({ baseURL });
  await createUserAsAdmin(admin, {
    login: 'op_50_konstantinopolskaya',
    role: 'operator',
    regionCode: '50',
    fullName: 'Константинопольская Александра Владимировна',
  });
  await admin.dispose();

  await page.goto('/login');
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'login');

  await page.getByRole('link', { name: 'Забыли пароль?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Восстановление пароля');
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'forgot-password');

  await signIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Разделы' });
  for (const [name, url, shot] of [
    ['Коллектор', '/', 'collector-admin'],
    ['Загрузка результатов', '/uploads', 'uploads'],
    ['Проверка комплектности сданных материалов', '/completeness', 'completeness'],
    ['Пользователи', '/users', 'users'],
  ] as const) {
    await nav.getByRole('link', { name }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Выйти' })).toBeInViewport();
    await expect(page.getByRole('banner')).toContainText('Все регионы');
    await expectNoSidewaysScroll(page);
    await screenshot(page, testInfo, shot);
  }

  // On /users now: every row action is reachable without scrolling the table sideways.
  const table = page.getByRole('region', { name: 'Список пользователей' });
  expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  await expect(page.getByRole('button', { name: 'Отключить op_50_konstantinopolskaya' })).toBeInViewport();

  await page.getByRole('button', { name: 'Добавить пользователя' }).click();
  await page.getByRole('button', { name: 'Создать пользователя' }).click();
  await expect(page.getByRole('alert')).toHaveText('Проверьте отмеченные поля.');
  await expect(page.getByRole('form', { name: 'Новый пользователь' }).getByLabel('Логин', { exact: true })).toBeFocused();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'users-form-errors');

  await signOut(page);
});

test('the tabs and the login form work from the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('Логин', { exact: true })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Логин', { exact: true })).toBeFocused();
  await page.keyboard.type(ADMIN_LOGIN);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Пароль', { exact: true })).toBeFocused();
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();

  // The first Tab reaches the skip link, then «Выйти», then the sections in order.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Перейти к содержимому' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Коллектор' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Загрузка результатов' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/uploads');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  await signOut(page);
});
