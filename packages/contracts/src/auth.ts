import { z } from 'zod';
import { RegionCodeSchema, RoleSchema, text } from './common.ts';

export const UserSchema = z.object({
  id: z.uuid(),
  login: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  role: RoleSchema,
  regionCode: RegionCodeSchema.nullable(),
  disabled: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof UserSchema>;

export const LoginRequestSchema = z.object({
  login: text().trim().min(1, 'Введите логин').max(100),
  password: text().min(1, 'Введите пароль').max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const LoginResponseSchema = z.object({ user: UserSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const MeResponseSchema = z.object({ user: UserSchema });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** What the login page needs to know before anyone signs in. */
export const AuthConfigResponseSchema = z.object({
  oidc: z.object({ enabled: z.boolean(), label: z.string() }),
});
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;

export const PasswordResetRequestSchema = z.object({
  login: text().trim().min(1, 'Введите логин').max(100),
});
export type PasswordResetRequest = z.infer<typeof PasswordResetRequestSchema>;

export const PASSWORD_MIN_LENGTH = 10;
/** Length and non-blank here; how guessable it is the server judges (zxcvbn), answering `weak_password`. */
export const NewPasswordSchema = text()
  .min(PASSWORD_MIN_LENGTH, `Пароль должен быть не короче ${PASSWORD_MIN_LENGTH} символов`)
  .max(200)
  .refine((v) => v.trim() !== '', 'Пароль не может состоять из одних пробелов');

export const PasswordResetConfirmSchema = z.object({
  token: z.string().min(20).max(200),
  password: NewPasswordSchema,
});
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirmSchema>;

export const OkResponseSchema = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof OkResponseSchema>;
