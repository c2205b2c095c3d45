import { ProblemSchema, RegionListResponseSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser } from '../../plugins/app/auth.ts';
import { regionScope } from '../../services/region-scope.ts';

const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    { schema: { tags: ['regions'], summary: 'Regions the user works in (admin: all)', response: { 200: RegionListResponseSchema, 401: ProblemSchema, 403: ProblemSchema } } },
    async (request) => {
      const scope = regionScope(currentUser(request));
      const regions = await app.prisma.region.findMany({ where: scope.regionCode ? { code: scope.regionCode } : {}, orderBy: { code: 'asc' }, select: { code: true, name: true } });
      return { regions };
    },
  );
};

export default regionRoutes;
