import { HealthResponseSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { APP_VERSION } from '../../version.ts';

const healthRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/health',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and what the API runs on', response: { 200: HealthResponseSchema } } },
    async () => {
      await app.prisma.$queryRaw`SELECT 1`;
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
