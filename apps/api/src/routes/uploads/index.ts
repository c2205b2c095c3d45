import { IdParamsSchema, ProblemSchema, ScanListQuerySchema, ScanListResponseSchema, UploadListQuerySchema, UploadListResponseSchema, UploadSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { regionScope } from '../../services/region-scope.ts';
import { duplicatedBlankIds, scanWithBlank, toScanDto } from '../../services/scan-view.ts';
import { countScansByUpload, toUploadDto, uploadWithUser } from '../../services/upload-view.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    { schema: { tags: ['uploads'], summary: 'Uploads of the region (admin: all, or ?regionCode=)', querystring: UploadListQuerySchema, response: { 200: UploadListResponseSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const scope = regionScope(user);
      const where = { ...scope, ...(user.role === 'admin' && request.query.regionCode ? { regionCode: request.query.regionCode } : {}) };
      const uploads = await app.prisma.upload.findMany({ where, include: uploadWithUser, orderBy: { createdAt: 'desc' }, take: 500 });
      const counts = await countScansByUpload(app.prisma, uploads.map((u) => u.id));
      return { uploads: uploads.map((u) => toUploadDto(u, counts.get(u.id))) };
    },
  );

  app.get(
    '/:id',
    { schema: { tags: ['uploads'], summary: 'One upload with its counts and problems', params: IdParamsSchema, response: { 200: UploadSchema, ...errors } } },
    async (request) => {
      const upload = await app.prisma.upload.findFirst({ where: { id: request.params.id, ...regionScope(currentUser(request)) }, include: uploadWithUser });
      if (!upload) throw new AppError('not_found');
      const counts = await countScansByUpload(app.prisma, [upload.id]);
      return toUploadDto(upload, counts.get(upload.id));
    },
  );

  app.get(
    '/:id/scans',
    {
      schema: {
        tags: ['uploads'],
        summary: '«Список сканов в загруженном архиве»: the live scans of an upload',
        params: IdParamsSchema,
        querystring: ScanListQuerySchema,
        response: { 200: ScanListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const scope = regionScope(currentUser(request));
      const upload = await app.prisma.upload.findFirst({ where: { id: request.params.id, ...scope }, select: { id: true } });
      if (!upload) throw new AppError('not_found');
      const scans = await app.prisma.scan.findMany({
        where: { uploadId: upload.id, deletedAt: null, ...scope, ...(request.query.status ? { status: request.query.status } : {}) },
        include: scanWithBlank,
        orderBy: [{ entryName: 'asc' }, { pageIndex: 'asc' }],
      });
      const duplicates = await duplicatedBlankIds(app.prisma, scans.flatMap((s) => (s.blankId ? [s.blankId] : [])));
      return { scans: scans.map((s) => toScanDto(s, duplicates)) };
    },
  );
};

export default uploadRoutes;
