import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Upload } from '@collector/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { makeArchive, seedRegistry, waitForUpload, type RegistrySeed } from './upload-support.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe.each(databaseKinds())('resumable (tus) uploads on %s', (kind) => {
  let ctx: TestContext;
  let base: string;
  let coord77: string;
  let coord50: string;
  let reg77: RegistrySeed;

  beforeAll(async () => {
    ctx = await createTestApp(kind, { SCAN_WORKERS: '2' });
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await addUser(ctx, 'spo_coord_50', 'coordinator', '50');
    reg77 = await seedRegistry(ctx.db.prisma, '77');
    coord77 = await signIn(ctx, 'spo_coord_77');
    coord50 = await signIn(ctx, 'spo_coord_50');
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => ctx?.close());

  const create = (cookie: string, length: number, name = 'Аудитория 7.zip') =>
    fetch(`${base}/api/uploads/tus`, {
      method: 'POST',
      headers: { cookie, 'tus-resumable': '1.0.0', 'upload-length': String(length), 'upload-metadata': `filename ${b64(name)}` },
    });
  const patch = (cookie: string, location: string, offset: number, body: Uint8Array) =>
    fetch(`${base}${location}`, {
      method: 'PATCH',
      headers: { cookie, 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      body,
    });
  const head = (cookie: string, location: string) => fetch(`${base}${location}`, { method: 'HEAD', headers: { cookie, 'tus-resumable': '1.0.0' } });

  it('continues an upload cut at 80 % from where it stopped, sending only the rest, and queues it with its password', async () => {
    const archive = await readFile(await makeArchive([
      { name: 'a.jpg', page: { blankNumber: [...reg77.kits.values()][0]?.[0] ?? null, filled: true, seed: 31 } },
      { name: 'b.jpg', page: { blankNumber: [...reg77.kits.values()][0]?.[1] ?? null, filled: true, seed: 32 } },
    ], { password: 'zc-pass' }));
    const created = await create(coord77, archive.length);
    expect(created.status).toBe(201);
    const location = created.headers.get('location') ?? '';
    const id = location.split('/').pop() ?? '';
    expect(location).toBe(`/api/uploads/tus/${id}`);

    // the upload is in the list from its first byte, as receiving
    const cut = Math.floor(archive.length * 0.8);
    expect((await patch(coord77, location, 0, archive.subarray(0, cut))).status).toBe(204);
    const receiving = (await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { cookie: coord77 } })).json<Upload>();
    expect(receiving).toMatchObject({ status: 'receiving', fileName: 'Аудитория 7.zip', sizeBytes: archive.length, receivedBytes: cut });
    // submitting before the last byte is a conflict
    expect((await ctx.app.inject({ method: 'POST', url: `/api/uploads/${id}/submit`, headers: { cookie: coord77 }, payload: {} })).statusCode).toBe(409);

    // the connection dropped: the client asks where to continue, and sends only the rest
    const resumed = await head(coord77, location);
    expect(resumed.headers.get('upload-offset')).toBe(String(cut));
    const rest = archive.subarray(cut);
    const finished = await patch(coord77, location, cut, rest);
    expect(finished.status).toBe(204);
    expect(finished.headers.get('upload-offset')).toBe(String(archive.length));

    // all bytes in, not yet submitted: the row waits for the person (password field and «Отправить»)
    const waiting = (await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { cookie: coord77 } })).json<Upload>();
    expect(waiting).toMatchObject({ status: 'receiving', receivedBytes: archive.length, passwordNeeded: true });

    // another region cannot see or continue it
    expect((await head(coord50, location)).status).toBe(404);

    const submitted = await ctx.app.inject({ method: 'POST', url: `/api/uploads/${id}/submit`, headers: { cookie: coord77 }, payload: { password: 'zc-pass' } });
    expect(submitted.statusCode).toBe(202);
    const upload = await waitForUpload(ctx, coord77, id);
    expect(upload).toMatchObject({ status: 'done', sizeBytes: archive.length, passwordNeeded: false, counts: { total: 2, recognized: 2, newScans: 2 } });
    // the tus file moved into storage and went with the job
    expect((await head(coord77, location)).status).toBe(404);
  });

  it('lets the sender terminate an unfinished upload, taking its row and its bytes with it', async () => {
    const created = await create(coord77, 1000, 'abandoned.zip');
    const location = created.headers.get('location') ?? '';
    const id = location.split('/').pop() ?? '';
    expect((await patch(coord77, location, 0, new Uint8Array(400))).status).toBe(204);
    expect((await fetch(`${base}${location}`, { method: 'DELETE', headers: { cookie: coord50, 'tus-resumable': '1.0.0' } })).status).toBe(404);
    const terminated = await fetch(`${base}${location}`, { method: 'DELETE', headers: { cookie: coord77, 'tus-resumable': '1.0.0' } });
    expect(terminated.status).toBe(204);
    expect(await ctx.db.prisma.upload.count({ where: { id } })).toBe(0);
    expect((await head(coord77, location)).status).toBe(404);
  });

  it('refuses an archive over 250 MB at creation, before any byte of it is sent', async () => {
    const res = await create(coord77, 250 * 1024 * 1024 + 1);
    expect(res.status).toBe(413);
    expect(await ctx.db.prisma.upload.count({ where: { fileName: 'big.zip' } })).toBe(0);
  });

  it('needs a session, and an operator may not send', async () => {
    expect((await create('', 1000)).status).toBe(401);
    await addUser(ctx, 'op_77', 'operator', '77');
    expect((await create(await signIn(ctx, 'op_77'), 1000)).status).toBe(403);
  });
});
