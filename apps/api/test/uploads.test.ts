import { request as httpRequest } from 'node:http';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Scan, Upload } from '@collector/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { recipeFor } from '../../../packages/scan-core/fixtures/forms/generate-form-set.ts';
import { scanSheet } from '../../../packages/scan-core/fixtures/forms/scan-sheet.ts';
import { makeArchive, postArchive, seedRegistry, waitForUpload, type RegistrySeed } from './upload-support.ts';

async function scansOf(ctx: TestContext, cookie: string, id: string): Promise<Scan[]> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}/scans`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json<{ scans: Scan[] }>().scans;
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe.each(databaseKinds())('uploads on %s', (kind) => {
  let ctx: TestContext;
  let coord77: string;
  let coord50: string;
  let op77: string;
  let admin: string;
  let reg77: RegistrySeed;
  let reg50: RegistrySeed;
  const blank = (reg: RegistrySeed, kit: number, position: number) => [...reg.kits.values()][kit]?.[position - 1] ?? 'missing';

  beforeAll(async () => {
    ctx = await createTestApp(kind, { SCAN_WORKERS: '2' });
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await addUser(ctx, 'spo_coord_50', 'coordinator', '50');
    await addUser(ctx, 'op_77_ivanova', 'operator', '77');
    await addUser(ctx, 'admin2', 'admin', null);
    reg77 = await seedRegistry(ctx.db.prisma, '77');
    reg50 = await seedRegistry(ctx.db.prisma, '50', { kitBase: 500001 });
    coord77 = await signIn(ctx, 'spo_coord_77');
    coord50 = await signIn(ctx, 'spo_coord_50');
    op77 = await signIn(ctx, 'op_77_ivanova');
    admin = await signIn(ctx, 'admin2');
  });
  afterAll(async () => ctx?.close());

  it('stores every page of an archive as a scan, matched against the region registry, with entry problems and ignored junk named', async () => {
    const archive = await makeArchive([
      { name: 'aud-101/page-1.jpg', page: { blankNumber: blank(reg77, 0, 1), filled: true, seed: 1 } },
      { name: 'aud-101/page-2.jpg', page: { blankNumber: blank(reg77, 0, 2), filled: true, seed: 2, rotation: 180 } },
      { name: 'aud-101/page-3.tif', page: { blankNumber: blank(reg50, 0, 1), filled: true, seed: 3, format: 'tiff' } },
      { name: 'aud-101/page-4.jpg', page: { blankNumber: '20039999999999999', filled: true, seed: 4 } },
      { name: 'aud-101/page-5.jpg', page: { blankNumber: null, filled: true, seed: 5 } },
      { name: 'aud-101/readme.pdf', bytes: '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n' },
      { name: 'aud-101/Thumbs.db', bytes: 'junk' },
    ]);
    const res = await postArchive(ctx, coord77, archive, {}, 'Аудитория 101.zip');
    expect(res.statusCode).toBe(202);
    const { id, status } = res.json<{ id: string; status: string }>();
    expect(status).toBe('queued');
    const upload = await waitForUpload(ctx, coord77, id);
    expect(upload.status).toBe('done');
    expect(upload.fileName).toBe('Аудитория 101.zip');
    expect(upload.counts).toMatchObject({ total: 5, newScans: 5, recognized: 2, unrecognized: 3, duplicates: 0, alreadyStored: 0 });
    expect(upload.problems).toEqual([{ entryName: 'aud-101/readme.pdf', code: 'forbidden_format' }]);
    expect(upload.ignored).toEqual(['aud-101/Thumbs.db']);
    // 3 of 5 unrecognised: the instruction's warning comes with its likely causes
    expect(upload.hints).toEqual(expect.arrayContaining(['foreign_region', 'unknown_blanks']));

    const scans = await scansOf(ctx, coord77, id);
    const byName = new Map(scans.map((s) => [s.entryName, s]));
    expect(byName.get('aud-101/page-1.jpg')).toMatchObject({ status: 'recognized', blankNumber: blank(reg77, 0, 1), kitNumber: '100001', position: 1, rotation: 0 });
    expect(byName.get('aud-101/page-2.jpg')).toMatchObject({ status: 'recognized', kitNumber: '100001', position: 2, rotation: 180 });
    expect(byName.get('aud-101/page-3.tif')).toMatchObject({ status: 'unrecognized', reason: 'foreign_region' });
    expect(byName.get('aud-101/page-4.jpg')).toMatchObject({ status: 'unrecognized', reason: 'unknown_blank' });
    expect(byName.get('aud-101/page-5.jpg')).toMatchObject({ status: 'unrecognized', reason: 'no_barcode' });

    // each page's original bytes are stored; the upright rendition only of the page whose code was not read (people
    // open it to correct it), a thumbnail of every unrecognised page (the scan list shows them), the rest the first
    // time someone asks for them
    const storedFiles = async () => (await filesUnder(path.join(ctx.config.dataDir, 'scans'))).filter((f) => f.includes(id));
    const renditions = async () => (await storedFiles()).filter((f) => f.includes(`${path.sep}pages${path.sep}`)).map((f) => path.basename(f));
    const entryOf = (name: string) => ['aud-101/page-1.jpg', 'aud-101/page-2.jpg', 'aud-101/page-3.tif', 'aud-101/page-4.jpg', 'aud-101/page-5.jpg'].indexOf(name);
    expect((await storedFiles()).filter((f) => f.includes(`${path.sep}original${path.sep}`))).toHaveLength(5);
    const thumbnails = async () => (await storedFiles()).filter((f) => f.includes(`${path.sep}thumbs${path.sep}`)).map((f) => path.basename(f));
    const unrecognised = ['aud-101/page-3.tif', 'aud-101/page-4.jpg', 'aud-101/page-5.jpg'].map((name) => `${entryOf(name)}-1.jpg`);
    expect((await thumbnails()).sort()).toEqual(unrecognised);
    expect(await renditions()).toEqual([`${entryOf('aud-101/page-5.jpg')}-1.jpg`]);
    // another page's thumbnail is made on the first request, and kept
    const firstLook = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get('aud-101/page-1.jpg')?.id}/image?size=thumb`, headers: { cookie: coord77 } });
    expect(firstLook.statusCode).toBe(200);
    expect(await (await import('sharp')).default(firstLook.rawPayload).metadata()).toMatchObject({ format: 'jpeg', width: 240, height: Math.round((240 * 2339) / 1654) });
    expect((await thumbnails()).sort()).toEqual([`${entryOf('aud-101/page-1.jpg')}-1.jpg`, ...unrecognised].sort());
    expect(await renditions()).toHaveLength(1);

    // the turned page is served upright: its barcode stands at the top right again
    const turned = byName.get('aud-101/page-2.jpg');
    const image = await ctx.app.inject({ method: 'GET', url: `/api/scans/${turned?.id}/image`, headers: { cookie: coord77 } });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(image.rawPayload).greyscale().raw().toBuffer({ resolveWithObject: true });
    const darkness = (x0: number, y0: number, w: number, h: number) => {
      let dark = 0;
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if ((data[y * info.width + x] ?? 255) < 128) dark++;
      return dark / (w * h);
    };
    expect(darkness(Math.round(info.width * 0.55), Math.round(info.height * 0.05), Math.round(info.width * 0.35), Math.round(info.height * 0.06))).toBeGreaterThan(
      darkness(Math.round(info.width * 0.1), Math.round(info.height * 0.89), Math.round(info.width * 0.35), Math.round(info.height * 0.06)) + 0.05,
    );

    // made once and kept: the second look reads the same bytes from storage
    expect(await renditions()).toHaveLength(2);
    const lookAgain = await ctx.app.inject({ method: 'GET', url: `/api/scans/${turned?.id}/image`, headers: { cookie: coord77 } });
    expect(Buffer.compare(lookAgain.rawPayload, image.rawPayload)).toBe(0);
    // a page of a TIFF is rendered from the TIFF as an upright grey JPEG of the page's size
    const tiffPage = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get('aud-101/page-3.tif')?.id}/image`, headers: { cookie: coord77 } });
    expect(tiffPage.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(tiffPage.rawPayload).metadata()).toMatchObject({ format: 'jpeg', width: 1654, height: 2339, channels: 1 });
    expect(await renditions()).toHaveLength(3);
    // an original gone or spoilt: a clean 404 the browser does not keep, and the server goes on
    const unread = async (name: string) => {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get(name)?.id}/image`, headers: { cookie: coord77 } });
      expect(res.statusCode, name).toBe(404);
      expect(res.headers['cache-control'], name).toBe('no-store');
      expect(res.headers.etag, name).toBeUndefined();
    };
    const originalOf = async (name: string) => (await storedFiles()).find((f) => f.includes(`${path.sep}original${path.sep}${entryOf(name)}.`)) ?? '';
    await writeFile(await originalOf('aud-101/page-1.jpg'), 'not a picture');
    await unread('aud-101/page-1.jpg');
    await rm(await originalOf('aud-101/page-4.jpg'));
    await unread('aud-101/page-4.jpg');
    // a lost thumbnail is made again from the original, at the thumbnail's width, and kept
    const thumbOf = async (name: string) => (await storedFiles()).find((f) => f.includes(`${path.sep}thumbs${path.sep}${entryOf(name)}-1`)) ?? '';
    await rm(await thumbOf('aud-101/page-5.jpg'));
    const lost = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get('aud-101/page-5.jpg')?.id}/image?size=thumb`, headers: { cookie: coord77 } });
    expect(lost.statusCode).toBe(200);
    expect(await sharp(lost.rawPayload).metadata()).toMatchObject({ width: 240, height: Math.round((240 * 2339) / 1654) });
    expect(await thumbOf('aud-101/page-5.jpg')).not.toBe('');
    // a thumbnail that cannot be made (thumbnail and original gone): the stored page itself, not a broken picture
    await rm(await thumbOf('aud-101/page-5.jpg'));
    await rm(await originalOf('aud-101/page-5.jpg'));
    const stand = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get('aud-101/page-5.jpg')?.id}/image?size=thumb`, headers: { cookie: coord77 } });
    expect(stand.statusCode).toBe(200);
    expect(await sharp(stand.rawPayload).metadata()).toMatchObject({ format: 'jpeg', width: 1654, height: 2339 });
    // a turned page's thumbnail too, the first time it is asked for
    expect(await thumbOf('aud-101/page-2.jpg')).toBe('');
    const remade = await ctx.app.inject({ method: 'GET', url: `/api/scans/${byName.get('aud-101/page-2.jpg')?.id}/image?size=thumb`, headers: { cookie: coord77 } });
    expect(remade.statusCode).toBe(200);
    expect(await sharp(remade.rawPayload).metadata()).toMatchObject({ width: 240, height: Math.round((240 * 2339) / 1654) });
    expect(await thumbOf('aud-101/page-2.jpg')).not.toBe('');
    // the original archive is gone once its job is done
    expect((await filesUnder(path.join(ctx.config.dataDir, 'scans'))).filter((f) => f.includes(`${path.sep}archives${path.sep}`))).toEqual([]);

    // the same bytes again: not new scans, not duplicates
    const again = await postArchive(ctx, coord77, archive);
    const second = await waitForUpload(ctx, coord77, again.json<{ id: string }>().id);
    expect(second.status).toBe('done');
    expect(second.counts).toMatchObject({ total: 0, newScans: 0, alreadyStored: 5, duplicates: 0 });
    const first = await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { cookie: coord77 } });
    expect(first.json<Upload>().counts.duplicates).toBe(0);

    // another scan of blank 1 is a duplicate of the first
    const rescan = await makeArchive([{ name: 'rescan.jpg', page: { blankNumber: blank(reg77, 0, 1), filled: true, seed: 99 } }]);
    const third = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, rescan)).json<{ id: string }>().id);
    expect(third.counts).toMatchObject({ total: 1, newScans: 1, recognized: 1, duplicates: 1 });
  });

  it('stores a page the batch turned in its final orientation: its rendition and thumbnail when first opened', async () => {
    // a score card prints its code down the margin, across its text: alone, each page takes its code's way up, a
    // quarter turn short; the batch sees the whole form's words agree and turns every page upright
    // the last card's code is torn: its way up comes from its words and the batch, and its rendition is made while
    // processing (people open it to correct it)
    const writings = ['some', 'none', 'one', 'dense', 'none', 'some'] as const;
    const sheets = await Promise.all(
      writings.map(async (writing, index) => {
        const codeDamaged = index === writings.length - 1;
        const recipe = { ...recipeFor('score-card', 50_001 + index * 37, true), turn: 0 as const, skew: 0, writing, codeDamaged, symbology: 'code128' as const, fold: false, holes: false, stain: false, blot: false };
        return { name: `cards/card-${index + 1}.jpg`, bytes: (await scanSheet(recipe)).bytes };
      }),
    );
    const res = await postArchive(ctx, coord77, await makeArchive(sheets));
    const upload = await waitForUpload(ctx, coord77, res.json<{ id: string }>().id);
    expect(upload.status).toBe('done');
    const scans = await scansOf(ctx, coord77, upload.id);
    expect(scans).toHaveLength(sheets.length);
    const sharp = (await import('sharp')).default;
    const picture = async (bytes: Uint8Array) => sharp(bytes).resize(60, 85, { fit: 'fill' }).greyscale().raw().toBuffer();
    const difference = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length;
    for (const scan of scans) {
      // scanned upright, so upright is the scan itself
      expect(scan.rotation, scan.entryName).toBe(0);
      const sent = await picture(sheets.find((s) => s.name === scan.entryName)?.bytes ?? new Uint8Array());
      const thumb = await ctx.app.inject({ method: 'GET', url: `/api/scans/${scan.id}/image?size=thumb`, headers: { cookie: coord77 } });
      expect(await sharp(thumb.rawPayload).metadata(), scan.entryName).toMatchObject({ width: 240, height: Math.round((240 * 2339) / 1654) });
      expect(difference(await picture(thumb.rawPayload), sent), scan.entryName).toBeLessThan(12);
      const full = await ctx.app.inject({ method: 'GET', url: `/api/scans/${scan.id}/image`, headers: { cookie: coord77 } });
      expect(await sharp(full.rawPayload).metadata(), scan.entryName).toMatchObject({ width: 1654, height: 2339 });
      expect(difference(await picture(full.rawPayload), sent), scan.entryName).toBeLessThan(6);
    }
    // the files made before the turn are gone: one original, one thumbnail and one opened rendition a page
    const files = (await filesUnder(path.join(ctx.config.dataDir, 'scans'))).filter((f) => f.includes(upload.id));
    expect(files).toHaveLength(sheets.length * 3);
  });

  it('keeps one region out of another: uploads, scans, images and sending', async () => {
    const archive = await makeArchive([{ name: 'p.jpg', page: { blankNumber: blank(reg50, 1, 1), filled: true, seed: 7 } }]);
    const { id } = (await postArchive(ctx, coord50, archive)).json<{ id: string }>();
    const upload = await waitForUpload(ctx, coord50, id);
    expect(upload).toMatchObject({ status: 'done', regionCode: '50', counts: { recognized: 1 } });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}`, headers: { cookie: coord77 } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}/scans`, headers: { cookie: coord77 } })).statusCode).toBe(404);
    const list77 = (await ctx.app.inject({ method: 'GET', url: '/api/uploads', headers: { cookie: coord77 } })).json<{ uploads: Upload[] }>().uploads;
    expect(list77.map((u) => u.id)).not.toContain(id);
    const [scan] = await scansOf(ctx, coord50, id);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/scans/${scan?.id}/image`, headers: { cookie: coord77 } })).statusCode).toBe(404);
    // an operator corrects, but does not send archives
    expect((await postArchive(ctx, op77, archive)).statusCode).toBe(403);
    // an admin names the region; an unknown one is refused
    expect((await postArchive(ctx, admin, archive)).statusCode).toBe(400);
    expect((await postArchive(ctx, admin, archive, { regionCode: '999' })).statusCode).toBe(400);
    const byAdmin = await postArchive(ctx, admin, archive, { regionCode: '77' });
    expect(byAdmin.statusCode).toBe(202);
    const adminUpload = await waitForUpload(ctx, admin, byAdmin.json<{ id: string }>().id);
    expect(adminUpload).toMatchObject({ regionCode: '77', status: 'done' });
    // region 77 does not own blank 50's page: it is another region's blank there
    const [adminScan] = await scansOf(ctx, admin, adminUpload.id);
    expect(adminScan).toMatchObject({ status: 'unrecognized', reason: 'foreign_region' });
  });

  it('opens ZipCrypto and AES-256 archives with their password, never keeping it, and names a wrong or missing one', async () => {
    const files = [{ name: 'a.jpg', page: { blankNumber: blank(reg77, 1, 1), filled: true, seed: 11 } }];
    const aes = await makeArchive(files, { password: 'Sekret-42', aes: true });
    const zipCrypto = await makeArchive([{ name: 'b.jpg', page: { blankNumber: blank(reg77, 1, 2), filled: true, seed: 12 } }], { password: 'pass-zc' });

    const missing = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, aes)).json<{ id: string }>().id);
    expect(missing).toMatchObject({ status: 'rejected', rejectCode: 'password_required' });
    const wrong = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, aes, { password: 'не тот' })).json<{ id: string }>().id);
    expect(wrong).toMatchObject({ status: 'rejected', rejectCode: 'wrong_password' });

    const sent = (await postArchive(ctx, coord77, aes, { password: 'Sekret-42' })).json<{ id: string }>();
    const row = await ctx.db.prisma.upload.findUniqueOrThrow({ where: { id: sent.id } });
    if (row.passwordCipher !== null) expect(row.passwordCipher).not.toContain('Sekret');
    const opened = await waitForUpload(ctx, coord77, sent.id);
    expect(opened).toMatchObject({ status: 'done', counts: { recognized: 1, newScans: 1 } });
    const zc = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, zipCrypto, { password: 'pass-zc' })).json<{ id: string }>().id);
    expect(zc).toMatchObject({ status: 'done', counts: { recognized: 1 } });
    // nothing of the password is left once the job has ended
    const rows = await ctx.db.prisma.upload.findMany({ where: { id: { in: [sent.id, zc.id, wrong.id] } }, select: { passwordCipher: true } });
    expect(rows.every((r) => r.passwordCipher === null)).toBe(true);
  });

  it('refuses a body over 250 MB before reading it, and a client that disconnects mid-body leaves nothing behind', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ctx.app.server.address() as AddressInfo;
    const send = (headers: Record<string, string | number>, body: Buffer, end: boolean) =>
      new Promise<{ status: number | null; received: string }>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/uploads', headers: { cookie: coord77, ...headers } }, (res) => {
          let received = '';
          res.on('data', (c: Buffer) => (received += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? null, received }));
        });
        req.on('error', () => resolve({ status: null, received: '' }));
        req.write(body);
        if (end) req.end();
        else setTimeout(() => {
          req.destroy();
          resolve({ status: null, received: '' });
        }, 500);
      });
    const uploadsBefore = await ctx.db.prisma.upload.count();
    const boundary = 'xyz';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\nPK\u0003\u0004`);
    const started = Date.now();
    const big = await send({ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 300 * 1024 * 1024 }, head, false);
    // answered (or cut) long before 300 MB could have been read
    expect(Date.now() - started).toBeLessThan(5_000);
    if (big.status !== null) {
      expect(big.status).toBe(413);
      expect(JSON.parse(big.received)).toMatchObject({ code: 'archive_too_large' });
    }
    // no length announced (chunked): cut off while streaming at 250 MB, kept nowhere, recorded as a rejected upload
    const chunked = await new Promise<{ status: number | null; received: string }>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/uploads', headers: { cookie: coord77, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let received = '';
        res.on('data', (c: Buffer) => (received += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? null, received }));
      });
      req.on('error', () => resolve({ status: null, received: '' }));
      const block = Buffer.alloc(1024 * 1024, 1);
      let sentBlocks = 0;
      const pump = () => {
        while (sentBlocks < 260) {
          sentBlocks++;
          if (!req.write(block)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end(Buffer.from(`\r\n--${boundary}--\r\n`));
      };
      req.write(head);
      pump();
    });
    if (chunked.status !== null) {
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.received)).toMatchObject({ code: 'archive_too_large' });
    }
    const cut = await ctx.db.prisma.upload.findFirst({ where: { fileName: 'big.zip', rejectCode: 'archive_too_large' } });
    expect(cut).toMatchObject({ status: 'rejected', archiveKey: null });
    expect(await filesUnder(path.join(ctx.config.dataDir, 'scans', 'archives'))).toEqual([]);

    // a client that goes away after half its body
    await send({ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 4 * 1024 * 1024 }, Buffer.concat([head, Buffer.alloc(1024 * 1024, 7)]), false);
    await new Promise((r) => setTimeout(r, 500));
    expect(await ctx.db.prisma.upload.count()).toBe(uploadsBefore + 1);
    const archives = await filesUnder(path.join(ctx.config.dataDir, 'scans', 'archives'));
    expect(archives).toEqual([]);
  });

  it('ends every archive-level fault as a rejected upload with its code', async () => {
    const page = { name: 'p.jpg', page: { blankNumber: null, seed: 21 } };
    const plain = await makeArchive([page]);
    const plainBytes = await readFile(plain);
    const cases: Array<[string, Buffer | string]> = [
      ['not_zip', Buffer.from('Rar!\u001a\u0007\u0000 this is no zip')],
      ['corrupt_archive', plainBytes.subarray(0, Math.floor(plainBytes.length / 2))],
      ['empty_archive', await makeArchive([{ name: 'desktop.ini', bytes: '[.ShellClassInfo]' }, { name: '__MACOSX/._p.jpg', bytes: 'x' }])],
      ['nested_archive', await makeArchive([{ name: 'inner.zip', bytes: plainBytes }])],
      ['zip_bomb', await makeArchive([{ name: 'zeros.jpg', bytes: Buffer.alloc(80 * 1024 * 1024) }])],
      // the last part of a split archive (its .z01 stays behind): the directory names disk 1
      ['multipart_archive', await makeArchive([{ name: 'a.jpg', page: { blankNumber: null, seed: 22 } }, { name: 'b.jpg', page: { blankNumber: null, seed: 23 } }], { splitKb: 100 })],
    ];
    for (const [code, archive] of cases) {
      const res = await postArchive(ctx, coord77, archive);
      if (res.statusCode === 422) {
        expect(res.json()).toMatchObject({ code });
      } else {
        expect(res.statusCode).toBe(202);
        const upload = await waitForUpload(ctx, coord77, res.json<{ id: string }>().id);
        expect({ code, status: upload.status, rejectCode: upload.rejectCode }).toEqual({ code, status: 'rejected', rejectCode: code });
      }
      const rows = await ctx.db.prisma.upload.findMany({ where: { rejectCode: code } });
      expect(rows.length).toBeGreaterThan(0);
    }
    // a rejected archive keeps no pages and no files
    const rejectedScans = await ctx.db.prisma.scan.count({ where: { upload: { status: 'rejected' } } });
    expect(rejectedScans).toBe(0);
    const size = (await stat(plain)).size;
    expect(size).toBeGreaterThan(0);
  });
});
