import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const openapiRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};

export default openapiRoutes;
