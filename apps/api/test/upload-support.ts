import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Upload } from '@collector/contracts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { makeBlankPage, type BlankPageSpec } from './fixtures/make-blank-page.ts';
import type { TestContext } from './helpers.ts';

const run = promisify(execFile);

export interface RegistrySeed {
  eventId: string;
  /** blank numbers by kit number, in position order */
  kits: Map<string, string[]>;
}

/** A registry of one event and school: `kits` kits of `slots` blanks, numbered 2003119241RR + kit + position. */
export async function seedRegistry(prisma: PrismaClient, regionCode: string, options: { eventCode?: string; kits?: number; slots?: number; kitBase?: number } = {}): Promise<RegistrySeed> {
  const { eventCode = 'VPR-SPO-2026-1', kits = 2, slots = 3, kitBase = 100001 } = options;
  await prisma.region.upsert({ where: { code: regionCode }, create: { code: regionCode, name: `Регион ${regionCode}` }, update: {} });
  const event = await prisma.event.upsert({ where: { code: eventCode }, create: { code: eventCode, title: 'ВПР СПО', date: new Date('2026-11-20') }, update: {} });
  const school = await prisma.school.upsert({ where: { code: `sch${regionCode}1933` }, create: { code: `sch${regionCode}1933`, regionCode }, update: {} });
  const result = new Map<string, string[]>();
  for (let k = 0; k < kits; k++) {
    const number = String(kitBase + k);
    const kit = await prisma.kit.create({ data: { eventId: event.id, schoolId: school.id, number, slots } });
    const numbers: string[] = [];
    for (let position = 1; position <= slots; position++) {
      const blankNumber = `2003119241${regionCode.padStart(2, '0')}${number.slice(-4)}${position}`.slice(0, 17).padEnd(17, '0');
      await prisma.blank.create({ data: { number: blankNumber, kitId: kit.id, position, eventId: event.id, schoolId: school.id, regionCode } });
      numbers.push(blankNumber);
    }
    result.set(number, numbers);
  }
  return { eventId: event.id, kits: result };
}

export interface ArchiveFile {
  name: string;
  page?: BlankPageSpec;
  bytes?: Uint8Array | string;
}

/** A real ZIP made by Info-ZIP's `zip` (or 7-Zip for AES) from the given files. */
export async function makeArchive(files: ArchiveFile[], options: { password?: string; aes?: boolean; splitKb?: number } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-archive-'));
  const src = path.join(dir, 'src');
  for (const file of files) {
    const target = path.join(src, file.name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.page ? await makeBlankPage(file.page) : (file.bytes ?? ''));
  }
  const out = path.join(dir, 'archive.zip');
  const names = files.map((f) => f.name);
  if (options.aes) await run('7z', ['a', '-tzip', '-mem=AES256', `-p${options.password ?? ''}`, out, ...names], { cwd: src });
  else await run('zip', ['-q', '-X', ...(options.password ? ['-P', options.password] : []), ...(options.splitKb ? ['-s', `${options.splitKb}k`] : []), out, ...names], { cwd: src });
  return out;
}

/** A multipart/form-data body for app.inject. */
export async function multipartBody(archive: string | Buffer, fields: Record<string, string> = {}, fileName = 'archive.zip'): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const boundary = `----collector${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  const bytes = typeof archive === 'string' ? await readFile(archive) : archive;
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/zip\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function postArchive(ctx: TestContext, cookie: string, archive: string | Buffer, fields: Record<string, string> = {}, fileName?: string) {
  const { payload, headers } = await multipartBody(archive, fields, fileName);
  return ctx.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, cookie }, payload });
}

/** Polls the upload until its job has ended. */
export async function waitForUpload(ctx: TestContext, cookie: string, id: string, timeoutMs = 120_000): Promise<Upload> {
  const started = Date.now();
  for (;;) {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { cookie } });
    const upload = res.json<Upload>();
    if (['done', 'rejected', 'failed'].includes(upload.status)) return upload;
    if (Date.now() - started > timeoutMs) throw new Error(`upload ${id} still ${upload.status} after ${timeoutMs} ms`);
    await ctx.app.uploads.queue.enqueue(id);
    await new Promise((r) => setTimeout(r, 200));
  }
}
