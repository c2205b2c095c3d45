import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  IdParamsSchema,
  MAX_ARCHIVE_BYTES,
  ProblemSchema,
  ScanListQuerySchema,
  ScanListResponseSchema,
  SubmitUploadRequestSchema,
  UploadAcceptedSchema,
  UploadListQuerySchema,
  UploadListResponseSchema,
  UploadSchema,
} from '@collector/contracts';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, toProblem } from '../../errors.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { regionScope } from '../../services/region-scope.ts';
import { duplicatedBlankIds, scanWithBlank, toScanDto } from '../../services/scan-view.ts';
import { uploadKits } from '../../services/scans/upload-kits.ts';
import { whileReceiving } from '../../services/uploads/receive-garbage.ts';
import { archiveKeyOf, newUploadId, queueStoredArchive, uploadRegion } from '../../services/uploads/receive-upload.ts';
import { countScansByUpload, toUploadDto, uploadWithUser, type UploadWithUser } from '../../services/upload-view.ts';
import tusRoutes from './tus.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const SENDERS = { roles: ['coordinator', 'admin'] as const };
/** multipart framing around the file: a body this much larger than the limit cannot hold an acceptable archive */
const MULTIPART_SLACK_BYTES = 64 * 1024;
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_ARCHIVE_BYTES, files: 1, fields: 4, fieldSize: 4096, parts: 6 } });
  await app.register(tusRoutes, { prefix: '/tus' });

  /** A resumable upload still receiving: how many bytes its tus file holds now. */
  async function withReceived<T extends UploadWithUser>(upload: T): Promise<T> {
    if (upload.status !== 'receiving' || upload.archiveKey) return upload;
    const size = await stat(path.join(app.uploads.tusDir, upload.id)).then((s) => s.size, () => 0);
    return { ...upload, receivedBytes: BigInt(size) };
  }

  app.post(
    '',
    {
      config: SENDERS,
      schema: {
        tags: ['uploads'],
        summary: 'Send an archive (multipart: `file`, optional `password`, admin: `regionCode`); scripts use this, browsers the resumable /tus',
        consumes: ['multipart/form-data'],
        response: { 202: UploadAcceptedSchema, 413: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > MAX_ARCHIVE_BYTES + MULTIPART_SLACK_BYTES) {
        // refused before the body is read: the connection closes instead of taking 250 MB it would throw away
        void reply.header('connection', 'close');
        throw new AppError('archive_too_large');
      }
      if (!request.isMultipart()) throw new AppError('validation_failed', { detail: 'Отправьте архив как multipart/form-data в поле file' });
      const uploadId = newUploadId();
      const archiveKey = archiveKeyOf(uploadId);
      const fields: Record<string, string> = {};
      let fileName: string | null = null;
      let truncated = false;
      let size = 0;
      try {
        await whileReceiving(request.raw.socket, async () => {
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              if (typeof part.value === 'string') fields[part.fieldname] = part.value;
              continue;
            }
            if (part.fieldname !== 'file' || fileName !== null) {
              part.file.resume();
              continue;
            }
            fileName = part.filename || 'archive.zip';
            await app.storage.writeStream(archiveKey, part.file);
            truncated = part.file.truncated;
            size = (await app.storage.stat(archiveKey))?.size ?? 0;
          }
        });
      } catch (error) {
        // a client that went away mid-body leaves nothing behind
        await app.storage.remove(archiveKey);
        // past 250 MB while streaming: cut off, nothing of it kept, and the upload recorded as rejected
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE' || fileName === null) throw error;
        truncated = true;
      }
      if (fileName === null) throw new AppError('validation_failed', { detail: 'Нет файла архива в поле file', fieldErrors: [{ path: 'file', message: 'Выберите файл' }] });
      const regionCode = await uploadRegion(app.prisma, user, fields.regionCode).catch(async (error: unknown) => {
        await app.storage.remove(archiveKey);
        throw error;
      });
      if (truncated) {
        size = Math.max(size, MAX_ARCHIVE_BYTES);
        await app.storage.remove(archiveKey);
        await app.prisma.upload.create({
          data: { id: uploadId, regionCode, uploadedById: user.id, fileName, sizeBytes: BigInt(size), receivedBytes: BigInt(size), status: 'rejected', rejectCode: 'archive_too_large', finishedAt: new Date() },
        });
        void reply.header('connection', 'close');
        throw new AppError('archive_too_large');
      }
      await app.prisma.upload.create({
        data: { id: uploadId, regionCode, uploadedById: user.id, fileName, sizeBytes: BigInt(size), receivedBytes: BigInt(size), status: 'receiving', archiveKey },
      });
      const queued = await queueStoredArchive({ prisma: app.prisma, storage: app.storage, passwords: app.uploads.passwords, queue: app.uploads.queue }, { uploadId, password: fields.password || undefined });
      if (queued.status === 'rejected' && queued.rejectCode) {
        return reply.status(422).type(PROBLEM_JSON).send(toProblem(queued.rejectCode, undefined, request.url));
      }
      return reply.status(202).send({ id: uploadId, status: queued.status });
    },
  );

  app.post(
    '/:id/submit',
    {
      config: SENDERS,
      schema: {
        tags: ['uploads'],
        summary: 'A resumable upload has all its bytes: queue it, with the archive password if any (also to give the password again)',
        params: IdParamsSchema,
        body: SubmitUploadRequestSchema,
        response: { 202: UploadAcceptedSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const upload = await app.prisma.upload.findFirst({ where: { id: request.params.id, ...regionScope(user) } });
      if (!upload) throw new AppError('not_found');
      const waiting = (upload.status === 'receiving' || upload.status === 'queued') && upload.archiveKey !== null;
      if (!waiting) throw new AppError('conflict', { detail: upload.status === 'receiving' ? 'Архив ещё не получен полностью' : 'Архив уже обрабатывается или обработан' });
      if (upload.status === 'queued' && !upload.passwordNeeded) return reply.status(202).send({ id: upload.id, status: 'queued' });
      const queued = await queueStoredArchive({ prisma: app.prisma, storage: app.storage, passwords: app.uploads.passwords, queue: app.uploads.queue }, { uploadId: upload.id, password: request.body.password || undefined });
      if (queued.status === 'rejected' && queued.rejectCode) {
        return reply.status(422).type(PROBLEM_JSON).send(toProblem(queued.rejectCode, undefined, request.url));
      }
      return reply.status(202).send({ id: upload.id, status: queued.status });
    },
  );

  app.get(
    '',
    { schema: { tags: ['uploads'], summary: 'Uploads of the region (admin: all, or ?regionCode=)', querystring: UploadListQuerySchema, response: { 200: UploadListResponseSchema, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const scope = regionScope(user);
      const where = { ...scope, ...(user.role === 'admin' && request.query.regionCode ? { regionCode: request.query.regionCode } : {}) };
      const uploads = await Promise.all((await app.prisma.upload.findMany({ where, include: uploadWithUser, orderBy: { createdAt: 'desc' }, take: 500 })).map(withReceived));
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
      return toUploadDto(await withReceived(upload), counts.get(upload.id));
    },
  );

  app.get(
    '/:id/scans',
    {
      schema: {
        tags: ['uploads'],
        summary: '«Список сканов в загруженном архиве»: the live scans of an upload in scan order, the counts, and the recognised ones grouped by kit',
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
        // scan order (the archive's), which is the order a person works the queue in
        orderBy: [{ entryIndex: 'asc' }, { pageIndex: 'asc' }, { entryName: 'asc' }],
      });
      const duplicates = await duplicatedBlankIds(app.prisma, scans.flatMap((s) => (s.blankId ? [s.blankId] : [])));
      const { kits, counts } = await uploadKits(app.prisma, upload.id, scope);
      return { scans: scans.map((s) => toScanDto(s, duplicates)), counts, kits };
    },
  );
};

export default uploadRoutes;
