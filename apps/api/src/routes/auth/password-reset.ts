import { OkResponseSchema, PasswordResetConfirmSchema, PasswordResetRequestSchema, ProblemSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../../services/audit.ts';
import { assertStrongPassword } from '../../services/password-strength.ts';
import { hashPassword } from '../../services/passwords.ts';
import { hashToken, newToken } from '../../services/tokens.ts';

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/** «Забыли пароль?»: a single-use link, valid for one hour, whose token is stored only as a hash. */
const passwordResetRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  // mail still being sent when the server stops is finished before the database closes
  const inFlight = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...inFlight]);
  });

  async function sendResetLink(login: string): Promise<void> {
    const user = await app.prisma.user.findUnique({ where: { login } });
    if (!user || user.disabled) return;
    const { token, hash } = newToken();
    await app.prisma.$transaction([
      // only the newest link works
      app.prisma.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } }),
      app.prisma.passwordResetToken.create({ data: { tokenHash: hash, userId: user.id, expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) } }),
    ]);
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
      const login = request.body.login.toLowerCase();
      // a login or an address asking too often is answered the same way, and nothing is sent
      if (await app.signInLimits.allowResetLink(login, request.ip)) {
        // answered before any lookup or mail, so the time taken tells nothing about the login
        const job = sendResetLink(login)
          .catch((error: unknown) => request.log.error({ err: error }, 'password reset mail failed'))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
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
      const found = await app.prisma.passwordResetToken.findUnique({ where: { tokenHash }, include: { user: true } });
      if (!found || found.usedAt || found.expiresAt <= new Date() || found.user.disabled) throw new AppError('reset_token_invalid');
      await assertStrongPassword(request.body.password, found.user);
      // hashing costs ~50 ms of a worker thread: only for a token that is valid
      const passwordHash = await hashPassword(request.body.password);
      await app.prisma.$transaction(async (tx) => {
        // claim the token atomically: of two concurrent uses only one updates a row
        const claimed = await tx.passwordResetToken.updateMany({
          where: { id: found.id, usedAt: null, expiresAt: { gt: new Date() } },
          data: { usedAt: new Date() },
        });
        if (claimed.count !== 1) throw new AppError('reset_token_invalid');
        await tx.passwordResetToken.updateMany({ where: { userId: found.userId, usedAt: null }, data: { usedAt: new Date() } });
        await tx.user.update({ where: { id: found.userId }, data: { passwordHash } });
        await tx.session.deleteMany({ where: { userId: found.userId } });
        await recordAudit(tx, {
          userId: found.userId,
          action: 'user.password_reset',
          entityType: 'user',
          entityId: found.userId,
          regionCode: found.user.regionCode,
          ip: request.ip,
        });
      });
      return { ok: true as const };
    },
  );
};

export default passwordResetRoutes;
