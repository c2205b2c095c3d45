import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProblemSchema, RegistryImportResponseSchema, RegistrySummaryResponseSchema } from '@collector/contracts';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { importRegistry } from '../../services/import-registry.ts';
import { summariseRegistry } from '../../services/summarise-registry.ts';

const ADMIN_ONLY = { roles: ['admin'] as const };
/** A 600,000-row registry is about 60 MB; this leaves room for long titles. */
export const MAX_REGISTRY_BYTES = 256 * 1024 * 1024;
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

const registryRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  // Multipart may already be registered above us (the uploads need it too); only add it where it is missing.
  if (!app.hasRequestDecorator('file')) await app.register(fastifyMultipart);
  const tmpRoot = path.join(config.dataDir, 'tmp');

  app.post(
    '/import',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: ['registry'],
        summary: 'Import the registry from a CSV (multipart field `file`; admin). All or nothing; 422 lists every bad row',
        consumes: ['multipart/form-data'],
        response: { 200: RegistryImportResponseSchema, ...errors, 409: ProblemSchema, 413: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      if (!request.isMultipart()) throw new AppError('validation_failed', { detail: 'Приложите CSV-файл реестра (поле file)' });
      const part = await request.file({ limits: { fileSize: MAX_REGISTRY_BYTES, files: 1 } });
      if (!part) throw new AppError('validation_failed', { detail: 'Приложите CSV-файл реестра (поле file)' });
      await mkdir(tmpRoot, { recursive: true });
      const dir = await mkdtemp(path.join(tmpRoot, 'registry-'));
      try {
        const filePath = path.join(dir, 'registry.csv');
        await pipeline(part.file, createWriteStream(filePath));
        if (part.file.truncated) {
          throw new AppError('payload_too_large', { detail: 'Файл реестра больше 256 МБ. Разделите его на несколько файлов' });
        }
        return await importRegistry(app.prisma, {
          filePath,
          fileName: part.filename || 'registry.csv',
          actor: { userId: actor.id, ip: request.ip, via: 'api' },
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/summary',
    {
      config: ADMIN_ONLY,
      schema: { tags: ['registry'], summary: '«Реестр»: events, regions and schools with kit and blank counts (admin)', response: { 200: RegistrySummaryResponseSchema, ...errors } },
    },
    async () => summariseRegistry(app.prisma),
  );
};

export default registryRoutes;
