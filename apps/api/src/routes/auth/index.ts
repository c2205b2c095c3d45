import {
  AuthConfigResponseSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MeResponseSchema,
  ProblemSchema,
} from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { currentUser, toUserDto } from '../../plugins/app/auth.ts';
import { LoginLimiter } from '../../services/login-limiter.ts';
import { verifyPassword } from '../../services/passwords.ts';

const authRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const limiter = new LoginLimiter({ maxFailures: config.login.maxFailures, windowMs: config.login.windowMs });

  app.get(
    '/config',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'What the sign-in page offers', response: { 200: AuthConfigResponseSchema } },
    },
    async () => ({ oidc: { enabled: config.oidc !== undefined, label: config.oidc?.label ?? 'Войти с учетной записью ФИС ОКО' } }),
  );

  app.post(
    '/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with login and password; sets the session cookie',
        body: LoginRequestSchema,
        response: { 200: LoginResponseSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { login, password } = request.body;
      const wait = limiter.retryAfterSeconds(login, request.ip);
      if (wait > 0) {
        throw new AppError('too_many_attempts', {
          detail: `Слишком много неудачных попыток входа. Повторите через ${wait} с.`,
          headers: { 'retry-after': String(wait) },
        });
      }
      limiter.begin(login, request.ip);
      const user = await app.prisma.user.findUnique({ where: { login: login.toLowerCase() } });
      // the same work and the same answer whether or not the login exists
      const ok = await verifyPassword(user?.passwordHash ?? null, password);
      if (!user || !ok) {
        request.log.info({ login: login.slice(0, 64) }, 'failed sign-in');
        throw new AppError('invalid_credentials');
      }
      limiter.recordSuccess(login, request.ip);
      if (user.disabled) throw new AppError('account_disabled');
      const signedIn = await app.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      await app.startSession(request, reply, signedIn);
      return { user: toUserDto(signedIn) };
    },
  );

  app.post(
    '/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out: ends the session on the server', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await app.endSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponseSchema, 401: ProblemSchema } } },
    async (request) => ({ user: toUserDto(currentUser(request)) }),
  );
};

export default authRoutes;
