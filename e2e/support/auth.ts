import { expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import type { CreateUserRequest, CreateUserResponse } from '@collector/contracts';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from './credentials.ts';

/** Signs in through the login form, as a person does, and waits for the signed-in header. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Логин', { exact: true }).fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Коллектор' })).toBeVisible();
}

/** Test data goes in through the API, so a journey only clicks through what it is about. */
export async function createUserAsAdmin(request: APIRequestContext, user: CreateUserRequest): Promise<CreateUserResponse> {
  const login = await request.post('/api/auth/login', { data: { login: ADMIN_LOGIN, password: ADMIN_PASSWORD } });
  expect(login.status()).toBe(200);
  const created = await request.post('/api/users', { data: user });
  expect(created.status()).toBe(201);
  return (await created.json()) as CreateUserResponse;
}
