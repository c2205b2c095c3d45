import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { APP_VERSION } from '../../version.ts';

/** The OpenAPI document is generated from the same zod schemas that validate the routes. */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Коллектор — blank-scan collector API',
          description: 'Uploads of scanned answer blanks, recognition, corrections and completeness. Errors are RFC 9457 problem+json with a stable `code`.',
          version: APP_VERSION,
        },
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'collector_session' } } },
        security: [{ session: [] }],
      },
      // the access rules of each route go into the document, so the generated access tests know them
      transform: (args) => {
        const { schema, url } = jsonSchemaTransform(args);
        const config = args.route.config as { public?: boolean; roles?: readonly string[] } | undefined;
        const access = config?.public ? { security: [] } : { 'x-roles': config?.roles ? [...config.roles] : ['admin', 'coordinator', 'operator'] };
        return { schema: { ...schema, ...access }, url };
      },
      transformObject: jsonSchemaTransformObject,
    });
  },
  { name: 'swagger' },
);
