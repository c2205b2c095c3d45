import type { IncomingMessage } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MAX_ARCHIVE_BYTES, TUS_ENDPOINT } from '@collector/contracts';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { regionScope } from '../../services/region-scope.ts';
import { whileReceiving } from '../../services/uploads/receive-garbage.ts';
import { archiveKeyOf, newUploadId, uploadRegion } from '../../services/uploads/receive-upload.ts';

interface TusContext {
  user: User;
  regionCode?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class TusRefusal {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {}
}

/**
 * Resumable uploads for browsers on slow links (the tus protocol, @tus/server with a file store in DATA_DIR/tus).
 * The tus upload is named by the Upload row's id, so the row shows in the upload list as `receiving` from the first
 * byte; the limit of 250 MB is refused at creation, before any byte. When the last byte is in, the archive moves
 * into file storage; the browser then submits it (with the password, which never goes into tus metadata).
 */
const tusRoutes: FastifyPluginAsync = async (app) => {
  await mkdir(app.uploads.tusDir, { recursive: true });
  const contexts = new WeakMap<IncomingMessage, TusContext>();
  const contextOf = (req: object): TusContext => {
    const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const context = raw ? contexts.get(raw) : undefined;
    if (!context) throw new TusRefusal(401, 'Войдите в систему');
    return context;
  };

  const tus = new Server({
    path: TUS_ENDPOINT,
    datastore: new FileStore({ directory: app.uploads.tusDir }),
    maxSize: MAX_ARCHIVE_BYTES,
    relativeLocation: true,
    respectForwardedHeaders: false,
    namingFunction: () => newUploadId(),
    async onUploadCreate(req, upload: Upload) {
      const { user, regionCode: requested } = contextOf(req);
      const fileName = (upload.metadata?.filename ?? '').trim().slice(0, 500) || 'archive.zip';
      let regionCode: string;
      try {
        regionCode = await uploadRegion(app.prisma, user, requested ?? upload.metadata?.regionCode ?? undefined);
      } catch (error) {
        throw new TusRefusal(400, error instanceof AppError ? (error.detail ?? error.message) : 'Неверный регион');
      }
      await app.prisma.upload.create({
        data: { id: upload.id, regionCode, uploadedById: user.id, fileName, sizeBytes: BigInt(upload.size ?? 0), status: 'receiving' },
      });
      // only what the upload list shows; never the password
      return { metadata: { filename: fileName } };
    },
    async onUploadFinish(_req, upload: Upload) {
      await app.storage.moveIn(archiveKeyOf(upload.id), path.join(app.uploads.tusDir, upload.id));
      await rm(path.join(app.uploads.tusDir, `${upload.id}.json`), { force: true });
      // all bytes are in: the browser now submits it with its password; until it does (a closed tab), the row asks
      // for «Отправить» with the password field, so nothing waits unseen
      await app.prisma.upload.update({ where: { id: upload.id }, data: { archiveKey: archiveKeyOf(upload.id), receivedBytes: BigInt(upload.size ?? upload.offset), passwordNeeded: true } });
      return {};
    },
  });

  // tus sends its bodies as application/offset+octet-stream: left unread for the tus server to stream to disk
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = currentUser(request);
    if (user.role === 'operator') throw new AppError('forbidden');
    const id = request.url.split('?')[0]?.slice(TUS_ENDPOINT.length + 1) ?? '';
    if (request.method !== 'POST' && request.method !== 'OPTIONS') {
      // another region's upload, or one that is already in, is not found
      if (!UUID.test(id)) throw new AppError('not_found');
      const upload = await app.prisma.upload.findFirst({ where: { id, status: 'receiving', archiveKey: null, ...regionScope(user) }, select: { id: true } });
      if (!upload) throw new AppError('not_found');
    }
    // a terminated upload (tus DELETE) takes its row with it, so nothing is left "receiving" forever; the tus
    // server then removes its bytes
    if (request.method === 'DELETE') await app.prisma.upload.deleteMany({ where: { id, status: 'receiving', archiveKey: null } });
    contexts.set(request.raw, { user });
    reply.hijack();
    // a PATCH carries the archive's bytes
    if (request.method === 'PATCH') await whileReceiving(request.raw.socket, () => tus.handle(request.raw, reply.raw));
    else await tus.handle(request.raw, reply.raw);
  };
  // the tus protocol's own methods and headers: not part of the JSON API document
  app.all('', { schema: { hide: true } }, handle);
  app.all('/*', { schema: { hide: true } }, handle);
};

export default tusRoutes;
