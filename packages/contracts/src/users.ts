import { z } from 'zod';
import { UserSchema, NewPasswordSchema } from './auth.ts';
import { RegionCodeSchema, RoleSchema, text } from './common.ts';

export const LoginSchema = z
  .string()
  .trim()
  .min(3, 'Логин — от 3 символов')
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'Логин — латинские буквы, цифры, точка, дефис, подчёркивание')
  .toLowerCase();

export const CreateUserRequestSchema = z.object({
  login: LoginSchema,
  /** omitted: the server generates one and returns it once */
  password: NewPasswordSchema.optional(),
  role: RoleSchema,
  regionCode: RegionCodeSchema.nullable().optional(),
  fullName: text().trim().max(200).optional(),
  email: z.email().nullable().optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const CreateUserResponseSchema = z.object({
  user: UserSchema,
  /** present only when the server generated the password */
  generatedPassword: z.string().optional(),
});
export type CreateUserResponse = z.infer<typeof CreateUserResponseSchema>;

export const UpdateUserRequestSchema = z.object({
  disabled: z.boolean().optional(),
  /** `true`: the server generates a new password and returns it once; a string: that password */
  resetPassword: z.union([z.literal(true), NewPasswordSchema]).optional(),
  fullName: text().trim().max(200).optional(),
  email: z.email().nullable().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UpdateUserResponseSchema = CreateUserResponseSchema;
export type UpdateUserResponse = z.infer<typeof UpdateUserResponseSchema>;

export const UserListResponseSchema = z.object({ users: z.array(UserSchema) });
export type UserListResponse = z.infer<typeof UserListResponseSchema>;
