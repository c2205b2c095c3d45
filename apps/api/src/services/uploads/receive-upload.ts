import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import type { FileStorage } from '../../plugins/app/storage.ts';
import type { PasswordBox } from './archive-password-box.ts';
import type { UploadQueue } from './upload-queue.ts';

/** What can be told from an archive's first bytes. */
export type EarlyRejectCode = 'not_zip' | 'multipart_archive';

export function archiveKeyOf(uploadId: string): string {
  return `archives/${uploadId}.zip`;
}

export function newUploadId(): string {
  return randomUUID();
}

/** The region an upload belongs to: the coordinator's own; an admin names an existing one. */
export async function uploadRegion(prisma: PrismaClient, user: User, requested: string | undefined): Promise<string> {
  if (user.role !== 'admin') {
    if (!user.regionCode) throw new AppError('forbidden');
    return user.regionCode;
  }
  if (!requested) throw new AppError('validation_failed', { detail: 'Выберите регион, к которому относится архив', fieldErrors: [{ path: 'regionCode', message: 'Выберите регион' }] });
  const region = await prisma.region.findUnique({ where: { code: requested }, select: { code: true } });
  if (!region) throw new AppError('validation_failed', { detail: `Региона ${requested} нет в системе`, fieldErrors: [{ path: 'regionCode', message: 'Такого региона нет' }] });
  return region.code;
}

/**
 * What the first bytes tell at once: not a ZIP at all, or the first part of a split one. Everything else (a
 * password, damage, bombs) is for the job, which reads the whole archive.
 */
export async function sniffArchive(file: string): Promise<EarlyRejectCode | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4 || head[0] !== 0x50 || head[1] !== 0x4b) return 'not_zip';
    if (head[2] === 0x07 && head[3] === 0x08) return 'multipart_archive';
    if ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06)) return null;
    return 'not_zip';
  } finally {
    await handle.close();
  }
}

export interface QueueArchiveInput {
  uploadId: string;
  password: string | undefined;
}

/**
 * An archive whose bytes are all stored: rejected at once when its first bytes say so, else queued for processing
 * with its password sealed (never in plain text).
 */
export async function queueStoredArchive(
  deps: { prisma: PrismaClient; storage: FileStorage; passwords: PasswordBox; queue: UploadQueue },
  { uploadId, password }: QueueArchiveInput,
): Promise<{ id: string; status: 'queued' | 'rejected'; rejectCode: EarlyRejectCode | null }> {
  const archiveKey = archiveKeyOf(uploadId);
  const early = await sniffArchive(deps.storage.localPath(archiveKey));
  if (early) {
    await deps.storage.remove(archiveKey);
    await deps.prisma.upload.update({ where: { id: uploadId }, data: { status: 'rejected', rejectCode: early, archiveKey: null, passwordCipher: null, passwordNeeded: false, finishedAt: new Date() } });
    return { id: uploadId, status: 'rejected', rejectCode: early };
  }
  await deps.prisma.upload.update({
    where: { id: uploadId },
    data: { status: 'queued', archiveKey, passwordCipher: password ? deps.passwords.seal(password) : null, passwordNeeded: false },
  });
  await deps.queue.enqueue(uploadId);
  return { id: uploadId, status: 'queued', rejectCode: null };
}
