import { OkResponseSchema, PasswordResetConfirmSchema, PasswordResetRequestSchema, ProblemSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../../services/audit.ts';
import { hashPassword } from '../../services/passwords.ts';
import { hashToken, newToken } from '../../services/tokens.ts';

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/** «Забыли пароль?»: a single-use link, valid for one hour, whose token is stored only as a hash. */
const passwordResetRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.post(
    '/request',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Send a password reset link; the answer is the same whether or not the login exists',
        body: PasswordResetRequestSchema,
        response: { 202: OkResponseSchema, 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const user = await app.prisma.user.findUnique({ where: { login: request.body.login.toLowerCase() } });
      if (user && !user.disabled) {
        const { token, hash } = newToken();
        await app.prisma.passwordResetToken.create({
          data: { tokenHash: hash, userId: user.id, expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) },
        });
        const link = `${config.publicUrl}/reset-password?token=${token}`;
        await app.mailer.send({
          to: user.email,
          subject: 'Коллектор: сброс пароля',
          text: [
            `Здравствуйте${user.fullName ? `, ${user.fullName}` : ''}!`,
            '',
            `Для учётной записи ${user.login} запрошен сброс пароля. Чтобы задать новый пароль, откройте ссылку:`,
            link,
            '',
            'Ссылка действует 1 час и только один раз. Если вы не запрашивали сброс, ничего делать не нужно.',
          ].join('\n'),
        });
      }
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/confirm',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset token',
        body: PasswordResetConfirmSchema,
        response: { 200: OkResponseSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const tokenHash = hashToken(request.body.token);
      const passwordHash = await hashPassword(request.body.password);
      await app.prisma.$transaction(async (tx) => {
        const token = await tx.passwordResetToken.findUnique({ where: { tokenHash }, include: { user: true } });
        if (!token || token.usedAt || token.expiresAt <= new Date() || token.user.disabled) throw new AppError('reset_token_invalid');
        // claim the token atomically: of two concurrent uses only one updates a row
        const claimed = await tx.passwordResetToken.updateMany({ where: { id: token.id, usedAt: null }, data: { usedAt: new Date() } });
        if (claimed.count !== 1) throw new AppError('reset_token_invalid');
        await tx.user.update({ where: { id: token.userId }, data: { passwordHash } });
        await tx.session.deleteMany({ where: { userId: token.userId } });
        await recordAudit(tx, {
          userId: token.userId,
          action: 'user.password_reset',
          entityType: 'user',
          entityId: token.userId,
          regionCode: token.user.regionCode,
          ip: request.ip,
        });
      });
      return { ok: true as const };
    },
  );
};

export default passwordResetRoutes;
