import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.ts';

/**
 * @fastify/rate-limit as the counter behind the sign-in limits (services/sign-in-limits.ts). No route is limited
 * by it globally: the sign-in routes ask it explicitly. With REDIS_URL the counters live in Redis, so every API
 * process behind a balancer counts together; without it they live in this process's memory.
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const { config } = opts;
    let redis: Redis | undefined;
    if (config.redisUrl) {
      // fail fast while Redis is away: a sign-in then answers 503 instead of hanging
      const { Redis } = await import('ioredis');
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true, lazyConnect: false });
      redis.on('error', (error) => app.log.warn({ err: error }, 'Redis for the sign-in limits is unreachable'));
      app.addHook('onClose', async () => {
        await redis?.quit().catch(() => redis?.disconnect());
      });
    }
    await app.register(fastifyRateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: `${config.redisQueuePrefix}:limits:` } : {}),
      skipOnError: false,
      // room for many logins and addresses in memory: an attacker spraying names must not evict the counted ones
      cache: 100_000,
    });
  },
  { name: 'rate-limit' },
);
