import { HealthResponseSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { APP_VERSION } from '../../version.ts';

const healthRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: { tags: ['system'], summary: 'Liveness; signed-in users also see the version, the database and the queue', response: { 200: HealthResponseSchema } },
    },
    async (request) => {
      await app.prisma.$queryRaw`SELECT 1`;
      // what the API runs on helps an attacker pick exploits: only people with an account learn it
      if (!request.user) return { status: 'ok' as const };
      return {
        status: 'ok' as const,
        database: app.db.kind,
        queue: config.redisUrl ? ('redis' as const) : ('in-process' as const),
        version: APP_VERSION,
      };
    },
  );
};

export default healthRoutes;
