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
import { recordAudit } from '../../services/audit.ts';
import { verifyPassword } from '../../services/passwords.ts';

/** An address a login signed in from within this long counts as the owner's own (see signInLimits). */
const KNOWN_ADDRESS_MS = 90 * 24 * 3600_000;

const authRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  /** Whether this user has signed in from this address before (the sign-ins are in the audit log). */
  async function isKnownAddress(userId: string, address: string): Promise<boolean> {
    const seen = await app.prisma.auditLog.findFirst({
      where: { entityType: 'user', entityId: userId, action: 'user.sign_in', ip: address, at: { gt: new Date(Date.now() - KNOWN_ADDRESS_MS) } },
      select: { id: true },
    });
    return seen !== null;
  }

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
      const user = await app.prisma.user.findUnique({ where: { login: login.toLowerCase() } });
      const known = user ? await isKnownAddress(user.id, request.ip) : false;
      const gate = await app.signInLimits.begin(login, request.ip, known);
      if (!gate.allowed) {
        const wait = gate.retryAfterSeconds;
        throw new AppError('too_many_attempts', {
          detail: `Слишком много неудачных попыток входа. Повторите через ${wait} с.`,
          headers: { 'retry-after': String(wait) },
        });
      }
      // the same work and the same answer whether or not the login exists
      const ok = await verifyPassword(user?.passwordHash ?? null, password);
      if (!user || !ok) {
        request.log.info({ login: login.slice(0, 64) }, 'failed sign-in');
        throw new AppError('invalid_credentials');
      }
      await gate.succeeded();
      if (user.disabled) throw new AppError('account_disabled');
      const signedIn = await app.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      await recordAudit(app.prisma, { userId: user.id, action: 'user.sign_in', entityType: 'user', entityId: user.id, regionCode: user.regionCode, ip: request.ip });
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
