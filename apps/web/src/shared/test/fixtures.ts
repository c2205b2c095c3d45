import type { User } from '@collector/contracts';

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: '6f1c2c52-4c1a-4f57-9d0e-0c6f5b3f8a11',
    login: 'spo_coord_77',
    fullName: 'Иванова Мария Петровна',
    email: 'ivanova@example.ru',
    role: 'coordinator',
    regionCode: '77',
    disabled: false,
    lastLoginAt: '2026-11-26T07:05:00.000Z',
    createdAt: '2026-11-01T09:00:00.000Z',
    ...overrides,
  };
}

export const ADMIN = makeUser({
  id: '0b7e7a8e-3f44-4a7e-8d1e-2d5a6b7c8d90',
  login: 'admin',
  fullName: '',
  email: null,
  role: 'admin',
  regionCode: null,
});
