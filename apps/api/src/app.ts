import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setRussianMessages } from '@collector/contracts';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/open-database.ts';
import { toProblem } from './errors.ts';
import authPlugin from './plugins/app/auth.ts';
import originCheckPlugin from './plugins/app/origin-check.ts';
import signInLimitsPlugin from './plugins/app/sign-in-limits.ts';
import dbPlugin from './plugins/app/db.ts';
import errorHandler from './plugins/app/error-handler.ts';
import mailerPlugin from './plugins/app/mailer.ts';
import storagePlugin from './plugins/app/storage.ts';
import uploadsPlugin from './plugins/app/uploads.ts';
import rateLimitPlugin from './plugins/external/rate-limit.ts';
import securityHeadersPlugin from './plugins/external/security-headers.ts';
import swaggerPlugin from './plugins/external/swagger.ts';
import webAppPlugin from './plugins/external/web-app.ts';
import authRoutes from './routes/auth/index.ts';
import completenessRoutes from './routes/completeness/index.ts';
import oidcRoutes from './routes/auth/oidc.ts';
import passwordResetRoutes from './routes/auth/password-reset.ts';
import healthRoutes from './routes/health/index.ts';
import openapiRoutes from './routes/openapi/index.ts';
import regionRoutes from './routes/regions/index.ts';
import registryRoutes from './routes/registry/index.ts';
import scanRoutes from './routes/scans/index.ts';
import uploadRoutes from './routes/uploads/index.ts';
import userRoutes from './routes/users/index.ts';

export const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Errors the router raises before any route (a malformed %-escape in the path) are problem+json too. */
function rejectMalformedRequest(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ err: error }, 'request rejected by the router');
  void reply.status(400).type('application/problem+json; charset=utf-8').send(toProblem('validation_failed', 'Некорректный адрес запроса', request.url));
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers over 16 KB → 431, a malformed request
 * line → 400, too slow → 408) is answered as problem+json too, with the headers every answer carries.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code] =
    error.code === 'HPE_HEADER_OVERFLOW' ? ([431, 'headers_too_large'] as const)
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ([408, 'request_timeout'] as const)
    : ([400, 'validation_failed'] as const);
  const body = JSON.stringify(toProblem(code, status === 400 ? 'Некорректный запрос' : undefined));
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
      'Content-Type: application/problem+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      'X-Content-Type-Options: nosniff',
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

export interface AppOptions {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** run upload jobs in this process (default; off only for tools that build the app to describe it) */
  processUploads?: boolean;
}

/** The whole API as a Fastify instance that never listens: server.ts listens, tests inject. */
export async function buildApp({ config, database, logger, processUploads = true }: AppOptions): Promise<FastifyInstance> {
  setRussianMessages();
  const trust = config.trustProxy;
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'] },
    // a hop count trusts only that many proxies in front of us; addresses trust only those
    trustProxy: typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
    // the 503 while closing is ours (problem+json, in security-headers), not Fastify's plain JSON
    return503OnClosing: false,
    frameworkErrors: rejectMalformedRequest,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  // An empty body sent as JSON (a bare POST /api/auth/logout from a script) is no body, not an error.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  await app.register(securityHeadersPlugin, { config });
  await app.register(originCheckPlugin, { config });
  await app.register(fastifyCookie);
  await app.register(swaggerPlugin);
  await app.register(dbPlugin, { database });
  await app.register(mailerPlugin, { config });
  await app.register(storagePlugin, { root: path.join(config.dataDir, 'scans') });
  await app.register(authPlugin, { config });
  await app.register(rateLimitPlugin, { config });
  await app.register(signInLimitsPlugin, { config });
  await app.register(uploadsPlugin, { config, processUploads });

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { config });
      await api.register(openapiRoutes);
      await api.register(authRoutes, { prefix: '/auth', config });
      await api.register(passwordResetRoutes, { prefix: '/auth/password-reset', config });
      await api.register(oidcRoutes, { prefix: '/auth/oidc', config });
      await api.register(userRoutes, { prefix: '/users' });
      await api.register(uploadRoutes, { prefix: '/uploads' });
      await api.register(scanRoutes, { prefix: '/scans' });
      await api.register(regionRoutes, { prefix: '/regions' });
      await api.register(registryRoutes, { prefix: '/registry', config });
      await api.register(completenessRoutes, { prefix: '/completeness' });
    },
    { prefix: '/api' },
  );

  await app.register(webAppPlugin, { root: config.webDistDir ?? DEFAULT_WEB_DIST });
  return app;
}
