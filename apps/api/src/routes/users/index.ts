import {
  CreateUserRequestSchema,
  CreateUserResponseSchema,
  IdParamsSchema,
  ProblemSchema,
  UpdateUserRequestSchema,
  UpdateUserResponseSchema,
  UserListResponseSchema,
} from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { currentUser, toUserDto } from '../../plugins/app/auth.ts';
import { recordAudit } from '../../services/audit.ts';
import { createUser } from '../../services/create-user.ts';
import { generatePassword, hashPassword } from '../../services/passwords.ts';

const ADMIN_ONLY = { roles: ['admin'] as const };
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    { config: ADMIN_ONLY, schema: { tags: ['users'], summary: 'All users (admin)', response: { 200: UserListResponseSchema, ...errors } } },
    async () => {
      const users = await app.prisma.user.findMany({ orderBy: [{ regionCode: 'asc' }, { login: 'asc' }] });
      return { users: users.map(toUserDto) };
    },
  );

  app.post(
    '',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin); without a password one is generated and returned once',
        body: CreateUserRequestSchema,
        response: { 201: CreateUserResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const { user, generatedPassword } = await createUser(app.prisma, request.body);
      await recordAudit(app.prisma, {
        userId: actor.id,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        regionCode: user.regionCode,
        after: { login: user.login, role: user.role, regionCode: user.regionCode },
        ip: request.ip,
      });
      return reply.status(201).send({ user: toUserDto(user), ...(generatedPassword ? { generatedPassword } : {}) });
    },
  );

  app.patch(
    '/:id',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: ['users'],
        summary: 'Disable or enable a user, reset the password (admin)',
        params: IdParamsSchema,
        body: UpdateUserRequestSchema,
        response: { 200: UpdateUserResponseSchema, ...errors },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const before = await app.prisma.user.findUnique({ where: { id: request.params.id } });
      if (!before) throw new AppError('not_found');
      const { disabled, resetPassword, fullName, email } = request.body;
      if (disabled === true && before.id === actor.id) {
        throw new AppError('conflict', { detail: 'Нельзя отключить собственную учётную запись' });
      }
      const generatedPassword = resetPassword === true ? generatePassword() : undefined;
      const newPassword = typeof resetPassword === 'string' ? resetPassword : generatedPassword;
      // hashed before the transaction: it takes a while and must not hold the database meanwhile
      const passwordHash = newPassword ? await hashPassword(newPassword) : undefined;
      const user = await app.prisma.$transaction(async (tx) => {
        const updated = await tx.user.update({
          where: { id: before.id },
          data: {
            ...(disabled !== undefined ? { disabled } : {}),
            ...(fullName !== undefined ? { fullName } : {}),
            ...(email !== undefined ? { email } : {}),
            ...(passwordHash ? { passwordHash } : {}),
          },
        });
        // a disabled user or a reset password ends every open session and reset link of that user
        if (disabled === true || passwordHash) {
          await tx.session.deleteMany({ where: { userId: before.id } });
          await tx.passwordResetToken.updateMany({ where: { userId: before.id, usedAt: null }, data: { usedAt: new Date() } });
        }
        await recordAudit(tx, {
          userId: actor.id,
          action: 'user.update',
          entityType: 'user',
          entityId: before.id,
          regionCode: before.regionCode,
          before: { disabled: before.disabled, fullName: before.fullName, email: before.email },
          after: { disabled: updated.disabled, fullName: updated.fullName, email: updated.email, passwordReset: Boolean(newPassword) },
          ip: request.ip,
        });
        return updated;
      });
      return { user: toUserDto(user), ...(generatedPassword ? { generatedPassword } : {}) };
    },
  );
};

export default userRoutes;
