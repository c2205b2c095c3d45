import { CreateRegionRequestSchema, CreateRegionResponseSchema, ProblemSchema, RegionListResponseSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { recordAudit } from '../../services/audit.ts';
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

  app.post(
    '',
    {
      config: { roles: ['admin'] as const },
      schema: {
        tags: ['regions'],
        summary: 'Add a region missing from the seeded ФИС ОКО list (admin)',
        body: CreateRegionRequestSchema,
        response: { 201: CreateRegionResponseSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { code, name } = request.body;
      try {
        const region = await app.prisma.region.create({ data: { code, name }, select: { code: true, name: true } });
        await recordAudit(app.prisma, { userId: currentUser(request).id, action: 'region.create', entityType: 'region', entityId: code, regionCode: code, after: { code, name }, ip: request.ip });
        return reply.status(201).send({ region });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('region_exists');
        throw error;
      }
    },
  );
};

export default regionRoutes;
