import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

/** Whether a request is for the API (decided by the route that matched, or the path when none did). */
export function isApiRequest(routeUrl: string | undefined, rawUrl: string): boolean {
  return (routeUrl ?? rawUrl).startsWith('/api/') || rawUrl === '/api' || rawUrl.startsWith('/api?');
}

/**
 * Security headers on every answer (helmet writes them to the raw response at the start, so the hijacked tus
 * replies carry them too): a strict CSP for the web app (only its own scripts, styles, images and API; no inline
 * script; nobody may frame it), nosniff, no Referer (the reset page has its token in the address), and HSTS when
 * PUBLIC_URL is https. Personal data is never cached: every /api answer is `no-store` unless the route says
 * otherwise (the scan images are `private`).
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const https = opts.config.publicUrl.startsWith('https://');
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // only over https: on a plain-http intranet address it would send the browser to a port nobody listens on
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
      // the SPA loads nothing from other origins, but embedding other sites' resources is not needed either
      crossOriginEmbedderPolicy: false,
    });

    // while the server drains, new requests get a problem+json 503 (Fastify's own is plain JSON)
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });

    app.addHook('onRequest', async (request, reply) => {
      if (closing) {
        void reply.header('connection', 'close');
        throw new AppError('service_unavailable');
      }
      // written to the raw response so hijacked replies (tus) have it too; a route may still set its own
      if (isApiRequest(request.routeOptions.url, request.url)) reply.raw.setHeader('cache-control', 'no-store');
    });
  },
  { name: 'security-headers' },
);
