import {
  DeleteScanResponseSchema,
  IdParamsSchema,
  IfMatchHeadersSchema,
  ImageQuerySchema,
  NumberCheckQuerySchema,
  NumberCheckResponseSchema,
  ProblemSchema,
  RESCAN_INSTRUCTION,
  ScanGateQuerySchema,
  ScanGateSchema,
  ScanHistoryResponseSchema,
  ScanSchema,
  SuggestionsQuerySchema,
  SuggestionsResponseSchema,
  UpdateScanRequestSchema,
  UpdateScanResponseSchema,
  type HoldingScan,
  type ScanHistoryEntry,
} from '@collector/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import type { Prisma, User } from '../../generated/prisma/client.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { recordAudit } from '../../services/audit.ts';
import { regionScope } from '../../services/region-scope.ts';
import { duplicatedBlankIds, scanWithBlank, toScanDto, type ScanWithBlank } from '../../services/scan-view.ts';
import { blankNumberShapeProblem } from '../../services/scans/blank-number-rule.ts';
import { createDigitReader } from '../../services/scans/digit-reader.ts';
import { createPageReader } from '../../services/scans/page-reader.ts';
import { scanGate } from '../../services/scans/scan-gate.ts';
import { suggestNumbers } from '../../services/scans/suggest-numbers.ts';
import { turnScan } from '../../services/scans/turn-scan.ts';
import { createUprightRenditions } from '../../services/scans/upright-rendition.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff', png: 'image/png' };
const IMAGE_CACHE = 'private, max-age=300';

const etagOf = (version: number) => `"${version}"`;

/** A scan as processing stored it, before any person changed it. */
const STORED_VERSION = 0;

/** The version an If-Match names: a number, '*' (any), or null when the header is absent or unreadable. */
function ifMatchVersion(header: string | string[] | undefined): number | '*' | null {
  const value = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  if (!value) return null;
  if (value === '*') return '*';
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  return m?.[1] ? Number(m[1]) : null;
}

function auditState(scan: { status: string; reason: string | null; blankNumber: string | null; rotation: number; offeredNumber?: string | null }): Prisma.InputJsonValue {
  return { status: scan.status, reason: scan.reason, blankNumber: scan.blankNumber, rotation: scan.rotation, offeredNumber: scan.offeredNumber ?? null };
}

const scanRoutes: FastifyPluginAsyncZod = async (app) => {
  // both engines start on first use and stop when idle: a server nobody corrects on never loads them
  const digitReader = createDigitReader();
  const pageReader = createPageReader();
  const renditions = createUprightRenditions(app.storage, pageReader);
  app.addHook('onClose', async () => {
    await Promise.all([digitReader.close(), pageReader.close()]);
  });

  async function findLiveScan(id: string, user: User) {
    const scan = await app.prisma.scan.findFirst({ where: { id, deletedAt: null, ...regionScope(user) }, include: scanWithBlank });
    if (!scan) throw new AppError('not_found');
    return scan;
  }

  async function holdersOf(blankId: string, exceptId: string): Promise<HoldingScan[]> {
    const rows = await app.prisma.scan.findMany({
      where: { blankId, deletedAt: null, NOT: { id: exceptId } },
      select: { id: true, uploadId: true, entryName: true, upload: { select: { fileName: true } } },
      orderBy: { createdAt: 'asc' },
      take: 20,
    });
    return rows.map((r) => ({ id: r.id, uploadId: r.uploadId, entryName: r.entryName, uploadFileName: r.upload.fileName }));
  }

  /** 409 with who saved it meanwhile, from the audit log. */
  async function conflictFor(scanId: string): Promise<AppError> {
    const last = await app.prisma.auditLog.findFirst({ where: { entityType: 'scan', entityId: scanId }, orderBy: { id: 'desc' }, include: { user: { select: { login: true } } } });
    const who = last?.user?.login ? ` (${last.user.login}, ${last.at.toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' })} МСК)` : '';
    return new AppError('conflict', { detail: `Этот скан уже изменил другой пользователь${who}. Обновите скан и проверьте его, прежде чем сохранять` });
  }

  /**
   * The version the client saw. Without If-Match (a script following DESIGN.md's contract) the client is taken to
   * have seen the scan as processing stored it, version 0: the first correction goes through, and a scan a person
   * has already changed answers 409 instead of being overwritten unseen.
   */
  function seenVersion(request: FastifyRequest): number | '*' {
    return ifMatchVersion(request.headers['if-match']) ?? STORED_VERSION;
  }

  function sendScan(reply: FastifyReply, scan: ScanWithBlank, duplicates: Set<string>) {
    void reply.header('etag', etagOf(scan.version));
    return toScanDto(scan, duplicates);
  }

  app.get(
    '/gate',
    {
      schema: {
        tags: ['scans'],
        summary: 'How many scans stay unrecognised in the region, an upload, a school or an event: «обработка результатов» waits until none',
        querystring: ScanGateQuerySchema,
        response: { 200: ScanGateSchema, ...errors },
      },
    },
    async (request) => scanGate(app.prisma, regionScope(currentUser(request)), request.query),
  );

  app.get(
    '/:id',
    { schema: { tags: ['scans'], summary: 'One scan; its ETag is the version to send as If-Match when correcting', params: IdParamsSchema, response: { 200: ScanSchema, ...errors } } },
    async (request, reply) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      return sendScan(reply, scan, await duplicatedBlankIds(app.prisma, scan.blankId ? [scan.blankId] : []));
    },
  );

  app.get(
    '/:id/image',
    {
      schema: {
        tags: ['scans'],
        summary: 'The page image, upright as stored (image/jpeg or image/tiff); ?size=thumb for the thumbnail. ETag + If-None-Match → 304',
        params: IdParamsSchema,
        querystring: ImageQuerySchema,
      },
    },
    async (request, reply) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      const thumb = request.query.size === 'thumb' && scan.thumbnailKey !== null;
      const key = thumb && scan.thumbnailKey ? scan.thumbnailKey : scan.storageKey;
      const etag = `"${scan.id.slice(0, 8)}-${scan.version}-${scan.rotation}-${thumb ? 't' : 'f'}"`;
      // the caching headers go with a picture only: a 404 must not be kept for minutes
      const picture = () => reply.header('cache-control', IMAGE_CACHE).header('etag', etag).header('x-content-type-options', 'nosniff');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return picture().status(304).send();
      const ext = key.split('.').pop() ?? '';
      const stream = await app.storage.read(key);
      if (stream) return picture().type(CONTENT_TYPES[ext] ?? 'application/octet-stream').send(stream);
      // a page whose code was read gets its rendition and thumbnail the first time someone asks (a lost one, again)
      const rendered = await renditions.read(scan, thumb ? 'thumbnail' : 'full').catch((error: unknown) => {
        request.log.warn({ err: error, scanId: scan.id }, 'the upright page could not be rendered');
        return null;
      });
      if (rendered) return picture().type('image/jpeg').send(rendered);
      // a thumbnail that cannot be made (its original gone): the stored page itself, when there is one
      const page = thumb ? await app.storage.read(scan.storageKey) : null;
      if (!page) throw new AppError('not_found', { detail: 'Изображение скана недоступно' });
      return picture().type(CONTENT_TYPES[scan.storageKey.split('.').pop() ?? ''] ?? 'application/octet-stream').send(page);
    },
  );

  app.get(
    '/:id/suggestions',
    {
      schema: {
        tags: ['scans'],
        summary: '«НОМЕР БЛАНКА» suggestions, best first: barcode after a turn, OCR of the printed digits narrowed by the registry, the neighbours in scan order, registry autocomplete (?prefix=). Never saved without a person',
        params: IdParamsSchema,
        querystring: SuggestionsQuerySchema,
        response: { 200: SuggestionsResponseSchema, ...errors },
      },
    },
    async (request) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      const deps = { prisma: app.prisma, reader: digitReader, renditions };
      const suggestions = await suggestNumbers(deps, scan, { ...(request.query.prefix ? { prefix: request.query.prefix } : {}) }).catch(async (error: unknown) => {
        // a page that does not decode or an OCR failure leaves the other sources
        request.log.warn({ err: error, scanId: scan.id }, 'reading the printed number failed');
        return suggestNumbers(deps, scan, { ...(request.query.prefix ? { prefix: request.query.prefix } : {}), ocr: false });
      });
      return { suggestions };
    },
  );

  app.get(
    '/:id/number-check',
    {
      schema: {
        tags: ['scans'],
        summary: 'Before «Сохранить»: would this number be accepted, and which live scans already hold that blank (the duplicate warning)',
        params: IdParamsSchema,
        querystring: NumberCheckQuerySchema.partial(),
        response: { 200: NumberCheckResponseSchema, ...errors },
      },
    },
    async (request) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      const blankNumber = (request.query.blankNumber ?? '').trim();
      if (blankNumber === '') return { blankNumber, problem: 'Введите номер бланка', kitNumber: null, position: null, heldBy: [] };
      const shape = blankNumberShapeProblem(blankNumber);
      if (shape) return { blankNumber, problem: shape, kitNumber: null, position: null, heldBy: [] };
      const blank = await app.prisma.blank.findFirst({ where: { number: blankNumber, regionCode: scan.regionCode }, include: { kit: true } });
      if (!blank) return { blankNumber, problem: `Бланка с номером ${blankNumber} нет в реестре региона ${scan.regionCode}`, kitNumber: null, position: null, heldBy: [] };
      return { blankNumber, problem: null, kitNumber: blank.kit.number, position: blank.position, heldBy: await holdersOf(blank.id, scan.id) };
    },
  );

  app.get(
    '/:id/history',
    { schema: { tags: ['scans'], summary: 'Who changed this scan, what and when (from the audit log)', params: IdParamsSchema, response: { 200: ScanHistoryResponseSchema, ...errors } } },
    async (request) => {
      const scan = await findLiveScan(request.params.id, currentUser(request));
      const rows = await app.prisma.auditLog.findMany({
        where: { entityType: 'scan', entityId: scan.id },
        include: { user: { select: { login: true, fullName: true } } },
        orderBy: { id: 'desc' },
        take: 100,
      });
      const state = (value: unknown): ScanHistoryEntry['before'] => {
        if (!value || typeof value !== 'object') return null;
        const v = value as { blankNumber?: unknown; rotation?: unknown; status?: unknown };
        return { blankNumber: typeof v.blankNumber === 'string' ? v.blankNumber : null, rotation: typeof v.rotation === 'number' ? v.rotation : 0, status: typeof v.status === 'string' ? v.status : '' };
      };
      const history: ScanHistoryEntry[] = rows.flatMap((r) =>
        r.action === 'scan.update' || r.action === 'scan.rotate' || r.action === 'scan.delete'
          ? [{ at: r.at.toISOString(), action: r.action, userLogin: r.user?.login ?? null, userName: r.user?.fullName || null, before: state(r.before), after: state(r.after) }]
          : [],
      );
      return { history };
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['scans'],
        summary:
          '«Сохранить» a typed blank number (digits, the pattern, a blank of the scan’s region registry) and/or turn the page (the stored image follows, recognition runs again and offers what it reads). If-Match: "<version>" (the ETag); without it the scan must be as processing stored it (version 0). A stale version gets 409',
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateScanRequestSchema,
        response: { 200: UpdateScanResponseSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      let before = await findLiveScan(request.params.id, user);
      const seen = seenVersion(request);
      if (seen !== '*' && seen !== before.version) throw await conflictFor(before.id);
      const { blankNumber, rotation } = request.body;

      if (rotation !== undefined && rotation !== before.rotation) {
        const where = { id: before.id, deletedAt: null, version: before.version, ...regionScope(user) };
        const turned = await turnScan({ storage: app.storage, reader: pageReader }, before, rotation, before.version + 1);
        const newKeys = [turned.storageKey, turned.thumbnailKey];
        let after: ScanWithBlank;
        try {
          after = await app.prisma.$transaction(async (tx) => {
            const changed = await tx.scan.updateMany({
              where,
              data: { rotation, storageKey: turned.storageKey, thumbnailKey: turned.thumbnailKey, offeredNumber: turned.readNumber, version: { increment: 1 } },
            });
            if (changed.count !== 1) throw await conflictFor(before.id);
            const updated = await tx.scan.findUniqueOrThrow({ where: { id: before.id }, include: scanWithBlank });
            await recordAudit(tx, { userId: user.id, action: 'scan.rotate', entityType: 'scan', entityId: before.id, regionCode: before.regionCode, before: auditState(before), after: auditState(updated), ip: request.ip });
            return updated;
          });
        } catch (error) {
          await Promise.all(newKeys.map((k) => app.storage.remove(k)));
          throw error;
        }
        // the previous rendition is no longer served (the original is kept)
        for (const old of [before.storageKey, before.thumbnailKey]) if (old && old !== before.originalKey && !newKeys.includes(old)) await app.storage.remove(old);
        if (blankNumber === undefined) return { ...sendScan(reply, after, await duplicatedBlankIds(app.prisma, after.blankId ? [after.blankId] : [])), duplicateOf: [] };
        // both in one request: the number is saved on the turned page
        before = after;
      }
      const where = { id: before.id, deletedAt: null, version: before.version, ...regionScope(user) };
      if (blankNumber === undefined) return { ...sendScan(reply, before, await duplicatedBlankIds(app.prisma, before.blankId ? [before.blankId] : [])), duplicateOf: [] };

      let data: Prisma.ScanUncheckedUpdateManyInput;
      if (blankNumber === null) {
        data = { blankNumber: null, blankId: null, status: 'unrecognized', reason: 'no_barcode' };
      } else {
        const shape = blankNumberShapeProblem(blankNumber);
        if (shape) throw new AppError('validation_failed', { detail: shape, fieldErrors: [{ path: 'blankNumber', message: shape, value: blankNumber }] });
        const blank = await app.prisma.blank.findFirst({ where: { number: blankNumber, regionCode: before.regionCode } });
        if (!blank) {
          // another region's blank is refused in the same words: its existence is not this region's business
          const message = `Бланка с номером ${blankNumber} нет в реестре региона ${before.regionCode}. Проверьте номер на бланке`;
          throw new AppError('validation_failed', { detail: message, fieldErrors: [{ path: 'blankNumber', message, value: blankNumber }] });
        }
        data = { blankNumber, blankId: blank.id, status: 'recognized', reason: null };
      }
      const after = await app.prisma.$transaction(async (tx) => {
        const changed = await tx.scan.updateMany({ where, data: { ...data, version: { increment: 1 } } });
        if (changed.count !== 1) throw await conflictFor(before.id);
        const updated = await tx.scan.findUniqueOrThrow({ where: { id: before.id }, include: scanWithBlank });
        await recordAudit(tx, { userId: user.id, action: 'scan.update', entityType: 'scan', entityId: before.id, regionCode: before.regionCode, before: auditState(before), after: auditState(updated), ip: request.ip });
        return updated;
      });
      const duplicateOf = after.blankId ? await holdersOf(after.blankId, after.id) : [];
      return { ...sendScan(reply, after, await duplicatedBlankIds(app.prisma, after.blankId ? [after.blankId] : [])), duplicateOf };
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags: ['scans'],
        summary: '«Удалить»: the scan leaves every list (kept for the audit log) and the person is told to rescan the blank. If-Match optional; a stale one gets 409',
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 200: DeleteScanResponseSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const scan = await findLiveScan(request.params.id, user);
      const seen = ifMatchVersion(request.headers['if-match']);
      if (typeof seen === 'number' && seen !== scan.version) throw await conflictFor(scan.id);
      await app.prisma.$transaction(async (tx) => {
        const deleted = await tx.scan.updateMany({
          where: { id: scan.id, deletedAt: null, ...(typeof seen === 'number' ? { version: seen } : {}), ...regionScope(user) },
          data: { deletedAt: new Date(), version: { increment: 1 } },
        });
        if (deleted.count !== 1) throw await conflictFor(scan.id);
        await recordAudit(tx, { userId: user.id, action: 'scan.delete', entityType: 'scan', entityId: scan.id, regionCode: scan.regionCode, before: auditState(scan), ip: request.ip });
      });
      return { id: scan.id, entryName: scan.entryName, instruction: RESCAN_INSTRUCTION };
    },
  );
};

export default scanRoutes;
