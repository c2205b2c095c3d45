import { IdParamsSchema, ProblemSchema, ScanSchema, UpdateScanRequestSchema } from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Prisma, User } from '../../generated/prisma/client.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { recordAudit } from '../../services/audit.ts';
import { regionScope } from '../../services/region-scope.ts';
import { duplicatedBlankIds, scanWithBlank, toScanDto } from '../../services/scan-view.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff', png: 'image/png' };

const scanRoutes: FastifyPluginAsyncZod = async (app) => {
  async function findLiveScan(id: string, user: User) {
    const scan = await app.prisma.scan.findFirst({ where: { id, deletedAt: null, ...regionScope(user) }, include: scanWithBlank });
    if (!scan) throw new AppError('not_found');
    return scan;
  }

  function auditState(scan: { status: string; reason: string | null; blankNumber: string | null; rotation: number }): Prisma.InputJsonValue {
    return { status: scan.status, reason: scan.reason, blankNumber: scan.blankNumber, rotation: scan.rotation };
  }

  app.get(
    '/:id',
    { schema: { tags: ['scans'], summary: 'One scan', params: IdParamsSchema, response: { 200: ScanSchema, ...errors } } },
    async (request) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      return toScanDto(scan, await duplicatedBlankIds(app.prisma, scan.blankId ? [scan.blankId] : []));
    },
  );

  app.get(
    '/:id/image',
    { schema: { tags: ['scans'], summary: 'The page image, upright as stored (image/jpeg or image/tiff)', params: IdParamsSchema } },
    async (request, reply) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      const stream = await app.storage.read(scan.storageKey);
      if (!stream) throw new AppError('not_found');
      const ext = scan.storageKey.split('.').pop() ?? '';
      return reply
        .type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['scans'],
        summary: '«Сохранить»: set the blank number typed by a person',
        params: IdParamsSchema,
        body: UpdateScanRequestSchema,
        response: { 200: ScanSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const before = await findLiveScan(request.params.id, user);
      const { blankNumber } = request.body;
      if (blankNumber === undefined) return toScanDto(before, await duplicatedBlankIds(app.prisma, before.blankId ? [before.blankId] : []));

      let data: Prisma.ScanUncheckedUpdateInput;
      if (blankNumber === null) {
        data = { blankNumber: null, blankId: null, status: 'unrecognized', reason: 'no_barcode' };
      } else {
        const blank = await app.prisma.blank.findUnique({ where: { number: blankNumber } });
        if (!blank) data = { blankNumber, blankId: null, status: 'unrecognized', reason: 'unknown_blank' };
        else if (blank.regionCode !== before.regionCode) data = { blankNumber, blankId: null, status: 'unrecognized', reason: 'foreign_region' };
        else data = { blankNumber, blankId: blank.id, status: 'recognized', reason: null };
      }
      const after = await app.prisma.$transaction(async (tx) => {
        // only a scan that is still live and still the user's: a parallel «Удалить» wins
        const changed = await tx.scan.updateMany({ where: { id: before.id, deletedAt: null, ...regionScope(user) }, data });
        if (changed.count !== 1) throw new AppError('not_found');
        const updated = await tx.scan.findUniqueOrThrow({ where: { id: before.id }, include: scanWithBlank });
        await recordAudit(tx, {
          userId: user.id,
          action: 'scan.update',
          entityType: 'scan',
          entityId: before.id,
          regionCode: before.regionCode,
          before: auditState(before),
          after: auditState(updated),
          ip: request.ip,
        });
        return updated;
      });
      return toScanDto(after, await duplicatedBlankIds(app.prisma, after.blankId ? [after.blankId] : []));
    },
  );

  app.delete(
    '/:id',
    { schema: { tags: ['scans'], summary: '«Удалить»: remove a scan (kept for the audit trail)', params: IdParamsSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      const user = currentUser(request);
      const scan = await findLiveScan(request.params.id, user);
      await app.prisma.$transaction(async (tx) => {
        const deleted = await tx.scan.updateMany({ where: { id: scan.id, deletedAt: null, ...regionScope(user) }, data: { deletedAt: new Date() } });
        if (deleted.count !== 1) throw new AppError('not_found');
        await recordAudit(tx, {
          userId: user.id,
          action: 'scan.delete',
          entityType: 'scan',
          entityId: scan.id,
          regionCode: scan.regionCode,
          before: auditState(scan),
          ip: request.ip,
        });
      });
      return reply.status(204).send(null);
    },
  );
};

export default scanRoutes;
