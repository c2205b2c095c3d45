import type { Role, User as UserDto } from '@collector/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import { hashToken, newToken } from '../../services/tokens.ts';

export const SESSION_COOKIE = 'collector_session';
/** lastSeenAt is written at most this often, so reads don't turn into writes */
const TOUCH_INTERVAL_MS = 60_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route answers without a session */
    public?: boolean;
    /** roles allowed; absent → any signed-in user */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    user: User | null;
    sessionId: string | null;
  }
  interface FastifyInstance {
    startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void>;
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    login: user.login,
    fullName: user.fullName,
    email: user.email,
    role: user.role,
    regionCode: user.regionCode,
    disabled: user.disabled,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** The signed-in user of a route that is not public; the auth hook guarantees it is set. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new AppError('unauthenticated');
  return request.user;
}

/**
 * Server-side sessions in an httpOnly, SameSite=Strict cookie; deny by default: every /api
 * route needs a live session unless its config says `public`, and `roles` narrows who may call it.
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const secure = opts.config.publicUrl.startsWith('https://');
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };

    app.decorateRequest('user', null);
    app.decorateRequest('sessionId', null);

    app.decorate('startSession', async (request: FastifyRequest, reply: FastifyReply, user: User) => {
      // a new id at every sign-in: a session id planted before sign-in is never promoted
      if (request.sessionId) await app.prisma.session.deleteMany({ where: { id: request.sessionId } });
      const { token, hash } = newToken();
      await app.prisma.session.create({
        data: {
          id: hash,
          userId: user.id,
          expiresAt: new Date(Date.now() + opts.config.sessionTtlMs),
          ip: request.ip,
          userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        },
      });
      request.sessionId = hash;
      request.user = user;
      void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: Math.floor(opts.config.sessionTtlMs / 1000) });
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.sessionId) await app.prisma.session.deleteMany({ where: { id: request.sessionId } });
      request.sessionId = null;
      request.user = null;
      void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    });

    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && token.length < 200) {
        const id = hashToken(token);
        const session = await app.prisma.session.findUnique({ where: { id }, include: { user: true } });
        if (session && session.expiresAt > new Date() && !session.user.disabled) {
          request.sessionId = id;
          request.user = session.user;
          if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
            await app.prisma.session.update({ where: { id }, data: { lastSeenAt: new Date() } });
          }
        }
      }
      // Decide by the route that matched, never by the raw URL: the router decodes `/%61pi/…` and
      // accepts absolute URLs in the request line, so the raw text can differ from the route.
      const pattern = request.routeOptions.url;
      const config = request.routeOptions.config;
      if (pattern === undefined || !pattern.startsWith('/api/') || config.public) return;
      if (!request.user) throw new AppError('unauthenticated');
      if (config.roles && !config.roles.includes(request.user.role)) throw new AppError('forbidden');
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
