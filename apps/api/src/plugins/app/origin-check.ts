import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why a state-changing request is refused as coming from another site, or null when it may go ahead. */
export function foreignOriginReason(request: Pick<FastifyRequest, 'method' | 'headers' | 'host'>, publicOrigin: string): string | null {
  if (!STATE_CHANGING.has(request.method)) return null;
  const fetchSite = request.headers['sec-fetch-site'];
  // same-site is a sibling host (another.example.ru for collector.example.ru): SameSite cookies do not stop it
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return `Sec-Fetch-Site: ${fetchSite}`;
  const origin = request.headers.origin;
  // scripts and old browsers send no Origin: the SameSite=Strict cookie covers them
  if (origin === undefined) return null;
  if (origin === publicOrigin) return null;
  try {
    // the address the browser used to reach us (behind a proxy PUBLIC_URL names it)
    if (origin !== 'null' && new URL(origin).host === request.host) return null;
  } catch {
    // not a URL: refused below
  }
  return `Origin: ${origin.slice(0, 200)}`;
}

/**
 * POST, PUT, PATCH and DELETE (sign-in and sign-out included) only from our own pages or from scripts: a request a
 * browser sends for another site's page (its Origin, or Sec-Fetch-Site cross-site / same-site) is refused before
 * anything else looks at it, with a problem+json 403.
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const publicOrigin = new URL(opts.config.publicUrl).origin;
    app.addHook('onRequest', async (request) => {
      const reason = foreignOriginReason(request, publicOrigin);
      if (reason !== null) {
        request.log.warn({ reason }, 'cross-site request refused');
        throw new AppError('origin_not_allowed');
      }
    });
  },
  { name: 'origin-check' },
);
