import { describe, expect, it } from 'vitest';
import { CreateUserRequestSchema, LoginRequestSchema, NewPasswordSchema, RegionCodeSchema } from './index.ts';

describe('contracts', () => {
  it('trims the login and requires a password', () => {
    expect(LoginRequestSchema.parse({ login: '  admin ', password: 'x' })).toEqual({ login: 'admin', password: 'x' });
    expect(LoginRequestSchema.safeParse({ login: 'admin', password: '' }).success).toBe(false);
  });
  it('accepts region codes of two or three digits only', () => {
    expect(RegionCodeSchema.safeParse('77').success).toBe(true);
    expect(RegionCodeSchema.safeParse('7').success).toBe(false);
    expect(RegionCodeSchema.safeParse('7a').success).toBe(false);
  });
  it('rejects logins with spaces or Cyrillic letters', () => {
    expect(CreateUserRequestSchema.safeParse({ login: 'spo_coord_77', role: 'coordinator', regionCode: '77' }).success).toBe(true);
    expect(CreateUserRequestSchema.safeParse({ login: 'коорд 77', role: 'coordinator', regionCode: '77' }).success).toBe(false);
  });
  it('refuses a new password of spaces only before it reaches the server', () => {
    expect(NewPasswordSchema.safeParse('          ').error?.issues[0]?.message).toBe('Пароль не может состоять из одних пробелов');
    expect(NewPasswordSchema.safeParse('  сосна пуговица  ').success).toBe(true);
  });
});
