import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { toProblem } from '../../errors.ts';

/**
 * Serves the built web app and answers unknown non-API GETs with index.html (client-side routes);
 * unknown /api paths stay problem+json 404s.
 */
export default fp(
  async (app: FastifyInstance, opts: { root: string | undefined }) => {
    const root = opts.root;
    const hasWeb = root !== undefined && existsSync(path.join(root, 'index.html'));
    if (hasWeb) {
      await app.register(fastifyStatic, { root, wildcard: false, index: 'index.html', cacheControl: false,
        setHeaders: (res, filePath) => {
          // hashed assets never change; index.html must always be fresh
          res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }
    app.setNotFoundHandler((request, reply) => {
      // a missing built file is a 404, never the SPA page: a stale script tag must fail loudly, not parse HTML as JS
      const isFile = request.url.startsWith('/assets/') || request.url === '/assets';
      const isPage = request.method === 'GET' && !isFile && !request.url.startsWith('/api/') && request.url !== '/api';
      if (hasWeb && isPage) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
      return reply.status(404).type('application/problem+json; charset=utf-8').send(toProblem('not_found', undefined, request.url));
    });
  },
  { name: 'web-app' },
);
