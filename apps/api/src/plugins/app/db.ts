import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/open-database.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    prisma: PrismaClient;
  }
}

/** Exposes the already-open, migrated database; the server (or a test) owns its lifetime. */
export default fp(
  async (app: FastifyInstance, opts: { database: Database }) => {
    app.decorate('db', opts.database);
    app.decorate('prisma', opts.database.prisma);
  },
  { name: 'db' },
);
