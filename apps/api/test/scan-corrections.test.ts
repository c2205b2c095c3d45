import { writeFile, mkdtemp, mkdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NumberCheckResponse, Scan, ScanGate, ScanHistoryResponse, ScanListResponse, SuggestionsResponse, UpdateScanResponse } from '@collector/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBlankPage } from './fixtures/make-blank-page.ts';
import { makeDamagedBlankPage } from './fixtures/make-damaged-blank-page.ts';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { postArchive, seedRegistry, waitForUpload, type RegistrySeed } from './upload-support.ts';

const run = promisify(execFile);

/** «Просмотр отсканированного бланка» through the API: turning, numbers, suggestions, conflicts, deletion, the gate. */
describe.each(databaseKinds())('scan corrections on %s', (kind) => {
  let ctx: TestContext;
  let coord77: string;
  let op77: string;
  let coord50: string;
  let admin: string;
  let reg77: RegistrySeed;
  let reg50: RegistrySeed;
  let uploadId: string;
  let byName: Map<string, Scan>;
  const blank = (reg: RegistrySeed, kit: number, position: number) => [...reg.kits.values()][kit]?.[position - 1] ?? 'missing';
  const scan = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`no scan ${name}`);
    return found;
  };

  const get = (url: string, cookie: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
  const patch = (id: string, cookie: string, payload: object, version: number | null) =>
    ctx.app.inject({ method: 'PATCH', url: `/api/scans/${id}`, headers: { cookie, ...(version === null ? {} : { 'if-match': `"${version}"` }) }, payload });
  const current = async (id: string) => (await get(`/api/scans/${id}`, coord77)).json<Scan>();

  beforeAll(async () => {
    ctx = await createTestApp(kind, { SCAN_WORKERS: '1' });
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await addUser(ctx, 'op_77_ivanova', 'operator', '77');
    await addUser(ctx, 'spo_coord_50', 'coordinator', '50');
    await addUser(ctx, 'admin2', 'admin', null);
    reg77 = await seedRegistry(ctx.db.prisma, '77', { kits: 3, slots: 3 });
    reg50 = await seedRegistry(ctx.db.prisma, '50', { kitBase: 500001 });
    coord77 = await signIn(ctx, 'spo_coord_77');
    op77 = await signIn(ctx, 'op_77_ivanova');
    coord50 = await signIn(ctx, 'spo_coord_50');
    admin = await signIn(ctx, 'admin2');

    // folder a/: kit 100001 in order, its page 2 with the code scratched out and two printed digits rubbed away;
    // b/: a damaged page alone, a clean page, and a page without any code
    const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-corrections-'));
    const files: Array<[string, Promise<Buffer>]> = [
      ['a/001.jpg', makeBlankPage({ blankNumber: blank(reg77, 0, 1), filled: true, seed: 11 })],
      ['a/002.jpg', makeDamagedBlankPage({ blankNumber: blank(reg77, 0, 2), filled: true, seed: 12, lostDigits: 2, lostAs: 'rubbed' })],
      ['a/003.jpg', makeBlankPage({ blankNumber: blank(reg77, 0, 3), filled: true, seed: 13 })],
      ['c/001.jpg', makeDamagedBlankPage({ blankNumber: blank(reg77, 2, 1), filled: true, seed: 21, lostDigits: 2, lostAs: 'rubbed' })],
      ['b/002.jpg', makeBlankPage({ blankNumber: blank(reg77, 1, 2), filled: true, seed: 22 })],
      ['b/003.jpg', makeBlankPage({ blankNumber: null, filled: false, seed: 23 })],
    ];
    for (const [name, bytes] of files) {
      await mkdir(path.join(dir, path.dirname(name)), { recursive: true });
      await writeFile(path.join(dir, name), await bytes);
    }
    await run('zip', ['-q', '-X', 'archive.zip', ...files.map(([n]) => n)], { cwd: dir });
    const res = await postArchive(ctx, coord77, path.join(dir, 'archive.zip'), {}, 'Аудитория 7.zip');
    expect(res.statusCode).toBe(202);
    uploadId = res.json<{ id: string }>().id;
    expect((await waitForUpload(ctx, coord77, uploadId)).status).toBe('done');
    const list = (await get(`/api/uploads/${uploadId}/scans`, coord77)).json<ScanListResponse>();
    byName = new Map(list.scans.map((s) => [s.entryName, s]));
  }, 240_000);
  afterAll(async () => ctx?.close());

  it('lists the upload in scan order with its counts and the recognised scans grouped by kit, every slot shown', async () => {
    const list = (await get(`/api/uploads/${uploadId}/scans`, op77)).json<ScanListResponse>();
    expect(list.scans.map((s) => s.entryName)).toEqual(['a/001.jpg', 'a/002.jpg', 'a/003.jpg', 'c/001.jpg', 'b/002.jpg', 'b/003.jpg']);
    expect(list.counts).toEqual({ total: 6, recognized: 3, unrecognized: 3 });
    expect(list.scans.filter((s) => s.status === 'unrecognized').map((s) => [s.entryName, s.reason])).toEqual([
      ['a/002.jpg', 'no_barcode'],
      ['c/001.jpg', 'no_barcode'],
      ['b/003.jpg', 'no_barcode'],
    ]);
    expect(list.kits.map((k) => [k.kitNumber, k.positions.map((p) => p.scanIds.length)])).toEqual([
      ['100001', [1, 0, 1]],
      ['100002', [0, 1, 0]],
    ]);
    const onlyUnrecognised = (await get(`/api/uploads/${uploadId}/scans?status=unrecognized`, op77)).json<ScanListResponse>();
    expect(onlyUnrecognised.scans).toHaveLength(3);
    expect(onlyUnrecognised.counts.total).toBe(6);
  });

  it('serves the image and its thumbnail with an ETag, answers 304 to If-None-Match, and caches privately', async () => {
    const id = scan('a/001.jpg').id;
    const full = await get(`/api/scans/${id}/image`, coord77);
    const thumb = await get(`/api/scans/${id}/image?size=thumb`, coord77);
    expect(full.statusCode).toBe(200);
    expect(thumb.statusCode).toBe(200);
    expect(full.headers['cache-control']).toBe('private, max-age=300');
    expect(full.headers.etag).toMatch(/^".+"$/);
    expect(thumb.headers.etag).not.toBe(full.headers.etag);
    expect((await sharp(full.rawPayload).metadata()).width).toBe(1654);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(240);
    const again = await get(`/api/scans/${id}/image`, coord77, { 'if-none-match': String(full.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers['cache-control']).toBe('private, max-age=300');
  });

  it('turns a page 90° and back: the stored image and thumbnail follow, recognition runs again and offers the number without filing it', async () => {
    const id = scan('b/002.jpg').id;
    const number = blank(reg77, 1, 2);
    // a person clears the number: the scan is unrecognised, its code still on the page
    const cleared = await patch(id, op77, { blankNumber: null }, scan('b/002.jpg').version);
    expect(cleared.statusCode).toBe(200);
    const v1 = cleared.json<UpdateScanResponse>();
    expect(v1).toMatchObject({ status: 'unrecognized', blankNumber: null, version: 1 });
    const imageBefore = await get(`/api/scans/${id}/image`, op77);

    const turned = await patch(id, op77, { rotation: 90 }, v1.version);
    expect(turned.statusCode).toBe(200);
    const v2 = turned.json<UpdateScanResponse>();
    expect(v2).toMatchObject({ rotation: 90, version: 2, status: 'unrecognized', blankNumber: null, offeredNumber: number });
    expect(turned.headers.etag).toBe('"2"');
    const full = await get(`/api/scans/${id}/image`, op77);
    expect(full.headers.etag).not.toBe(imageBefore.headers.etag);
    // stored turned: A4 on its side
    expect(await sharp(full.rawPayload).metadata()).toMatchObject({ width: 2339, height: 1654 });
    const thumb = await get(`/api/scans/${id}/image?size=thumb`, op77);
    const thumbSize = await sharp(thumb.rawPayload).metadata();
    expect(thumbSize.width).toBe(240);
    expect(Math.abs((thumbSize.height ?? 0) - (240 * 1654) / 2339)).toBeLessThan(1.5);
    // the stale ETag of the old picture is not answered 304
    expect((await get(`/api/scans/${id}/image`, op77, { 'if-none-match': String(imageBefore.headers.etag) })).statusCode).toBe(200);

    const suggestions = (await get(`/api/scans/${id}/suggestions`, op77)).json<SuggestionsResponse>().suggestions;
    expect(suggestions[0]).toMatchObject({ blankNumber: number, source: 'barcode', confident: true, kitNumber: '100002', position: 2 });
    // offered, never filed
    expect(await current(id)).toMatchObject({ status: 'unrecognized', blankNumber: null });

    const back = await patch(id, op77, { rotation: 0 }, v2.version);
    expect(back.json<UpdateScanResponse>()).toMatchObject({ rotation: 0, version: 3, offeredNumber: number });
    const upright = await get(`/api/scans/${id}/image`, op77);
    expect(await sharp(upright.rawPayload).metadata()).toMatchObject({ width: 1654, height: 2339 });
    // upright again, the page reads as it did before the turns: the same picture to a few grey levels
    const [a, b] = await Promise.all([imageBefore, upright].map((r) => sharp(r.rawPayload).resize(64, 90).greyscale().raw().toBuffer()));
    const diff = (a ?? Buffer.alloc(0)).reduce((sum, v, i) => sum + Math.abs(v - ((b ?? Buffer.alloc(0))[i] ?? 0)), 0) / (64 * 90);
    expect(diff).toBeLessThan(6);

    const saved = await patch(id, op77, { blankNumber: number }, 3);
    expect(saved.json<UpdateScanResponse>()).toMatchObject({ status: 'recognized', blankNumber: number, version: 4 });
    const audit = await ctx.db.prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['scan.update', 'scan.rotate', 'scan.rotate', 'scan.update']);
    expect(audit[1]?.before).toMatchObject({ rotation: 0 });
    expect(audit[1]?.after).toMatchObject({ rotation: 90, offeredNumber: number });
  }, 120_000);

  it('suggests the blank between its neighbours, read from its printed digits too, and marks it confident only as both agree', async () => {
    const id = scan('a/002.jpg').id;
    const suggestions = (await get(`/api/scans/${id}/suggestions`, op77)).json<SuggestionsResponse>().suggestions;
    expect(suggestions[0]).toMatchObject({ blankNumber: blank(reg77, 0, 2), confident: true, kitNumber: '100001', position: 2 });
    expect(suggestions[0]?.sources.sort()).toEqual(['neighbours', 'ocr']);
    for (const s of suggestions.slice(1)) expect(s.confident).toBe(false);
    // suggestions are never saved
    expect(await current(id)).toMatchObject({ status: 'unrecognized', blankNumber: null, version: 0 });
  }, 60_000);

  it('reads a damaged page alone from its printed digits: offered first, but not confident without a second witness', async () => {
    const id = scan('c/001.jpg').id;
    const suggestions = (await get(`/api/scans/${id}/suggestions`, op77)).json<SuggestionsResponse>().suggestions;
    expect(suggestions[0]).toMatchObject({ blankNumber: blank(reg77, 2, 1), source: 'ocr', confident: false });
    // the page without a code has no number to read: nothing confident
    const none = (await get(`/api/scans/${scan('b/003.jpg').id}/suggestions`, op77)).json<SuggestionsResponse>().suggestions;
    expect(none.every((s) => !s.confident)).toBe(true);
    expect(none.some((s) => s.source === 'ocr' || s.source === 'barcode')).toBe(false);
  }, 60_000);

  it('completes a prefix from the region’s registry only', async () => {
    const id = scan('b/003.jpg').id;
    const prefix = blank(reg77, 1, 1).slice(0, 16);
    const suggestions = (await get(`/api/scans/${id}/suggestions?prefix=${prefix}`, op77)).json<SuggestionsResponse>().suggestions;
    const fromRegistry = suggestions.filter((s) => s.sources.includes('registry')).map((s) => s.blankNumber).sort();
    expect(fromRegistry).toEqual([blank(reg77, 1, 1), blank(reg77, 1, 2), blank(reg77, 1, 3)]);
    const foreign = (await get(`/api/scans/${id}/suggestions?prefix=${blank(reg50, 0, 1).slice(0, 16)}`, op77)).json<SuggestionsResponse>().suggestions;
    expect(foreign.filter((s) => s.sources.includes('registry'))).toEqual([]);
    expect((await get(`/api/scans/${id}/suggestions?prefix=12a`, op77)).statusCode).toBe(400);
  });

  it('refuses a number that is not digits, not 17 digits, or not a blank of the region’s registry, in Russian, and changes nothing', async () => {
    const target = scan('b/003.jpg');
    const cases: Array<[string, RegExp]> = [
      ['99999999999999999', /нет в реестре региона 77/],
      [blank(reg50, 0, 1), /нет в реестре региона 77/],
      ['2003119241770001', /17 цифр/],
      ['2003119241770001A', /только цифры/],
    ];
    for (const [number, reason] of cases) {
      const res = await patch(target.id, op77, { blankNumber: number }, target.version);
      expect(res.statusCode, number).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json<{ code: string; detail?: string; errors?: Array<{ path: string; message: string }> }>();
      expect(problem.code).toBe('validation_failed');
      expect(`${problem.detail ?? ''} ${problem.errors?.map((e) => e.message).join(' ') ?? ''}`, number).toMatch(reason);
      const check = (await get(`/api/scans/${target.id}/number-check?blankNumber=${number}`, op77)).json<NumberCheckResponse>();
      expect(check.problem ?? '', number).toMatch(/нет в реестре|цифр/);
    }
    expect(await current(target.id)).toMatchObject({ status: 'unrecognized', blankNumber: null, version: target.version });
    expect(await ctx.db.prisma.auditLog.count({ where: { entityId: target.id } })).toBe(0);
  });

  it('warns before saving that a blank already has a live scan, names it, and says so again after saving', async () => {
    const target = scan('b/003.jpg');
    const held = blank(reg77, 0, 1);
    const check = (await get(`/api/scans/${target.id}/number-check?blankNumber=${held}`, op77)).json<NumberCheckResponse>();
    expect(check).toMatchObject({ problem: null, kitNumber: '100001', position: 1 });
    expect(check.heldBy).toEqual([expect.objectContaining({ id: scan('a/001.jpg').id, entryName: 'a/001.jpg', uploadFileName: 'Аудитория 7.zip' })]);
    const free = (await get(`/api/scans/${target.id}/number-check?blankNumber=${blank(reg77, 2, 3)}`, op77)).json<NumberCheckResponse>();
    expect(free).toMatchObject({ problem: null, heldBy: [] });

    const saved = await patch(target.id, op77, { blankNumber: held }, target.version);
    expect(saved.statusCode).toBe(200);
    expect(saved.json<UpdateScanResponse>()).toMatchObject({ status: 'recognized', duplicate: true, duplicateOf: [expect.objectContaining({ id: scan('a/001.jpg').id })] });
    expect(await current(scan('a/001.jpg').id)).toMatchObject({ duplicate: true });
  });

  it('refuses the second of two people saving the same scan with 409 and Russian text, and a save without a version on a scan a person changed', async () => {
    const target = scan('a/002.jpg');
    const seen = (await current(target.id)).version;
    const first = await patch(target.id, op77, { blankNumber: blank(reg77, 0, 2) }, seen);
    expect(first.statusCode).toBe(200);
    const second = await patch(target.id, coord77, { blankNumber: blank(reg77, 2, 2) }, seen);
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/уже изменил другой пользователь \(op_77_ivanova/) });
    const stale = await patch(target.id, coord77, { rotation: 180 }, seen);
    expect(stale.statusCode).toBe(409);
    // without If-Match the client is taken to have seen the scan as processing stored it: a person changed it since
    const bare = await patch(target.id, coord77, { blankNumber: blank(reg77, 2, 2) }, null);
    expect(bare.statusCode).toBe(409);
    expect(bare.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/уже изменил другой пользователь \(op_77_ivanova/) });
    // the first save stands
    expect(await current(target.id)).toMatchObject({ blankNumber: blank(reg77, 0, 2), version: seen + 1 });
    // both turns in parallel: exactly one wins
    const v = seen + 1;
    const both = await Promise.all([patch(target.id, op77, { rotation: 90 }, v), patch(target.id, coord77, { rotation: 270 }, v)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  }, 120_000);

  it('deletes a scan: gone from every list, kept in the database, audited, and the person is told to rescan', async () => {
    const target = scan('c/001.jpg');
    const stale = await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${target.id}`, headers: { cookie: op77, 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(409);
    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${target.id}`, headers: { cookie: op77, 'if-match': `"${target.version}"` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: target.id, entryName: 'c/001.jpg', instruction: expect.stringMatching(/Отсканируйте этот бланк заново и загрузите/) });
    expect((await get(`/api/scans/${target.id}`, op77)).statusCode).toBe(404);
    expect((await get(`/api/scans/${target.id}/image`, op77)).statusCode).toBe(404);
    const list = (await get(`/api/uploads/${uploadId}/scans`, op77)).json<ScanListResponse>();
    expect(list.scans.map((s) => s.id)).not.toContain(target.id);
    const row = await ctx.db.prisma.scan.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.deletedAt).not.toBeNull();
    const audit = await ctx.db.prisma.auditLog.findFirst({ where: { entityId: target.id, action: 'scan.delete' }, include: { user: true } });
    expect(audit).toMatchObject({ regionCode: '77', user: expect.objectContaining({ login: 'op_77_ivanova' }) });
    expect(audit?.before).toMatchObject({ status: 'unrecognized', blankNumber: null });
  });

  it('shows a scan’s history from the audit log: who, when, before and after', async () => {
    const id = scan('b/002.jpg').id;
    const history = (await get(`/api/scans/${id}/history`, coord77)).json<ScanHistoryResponse>().history;
    // newest first
    expect(history.map((h) => h.action)).toEqual(['scan.update', 'scan.rotate', 'scan.rotate', 'scan.update']);
    expect(history[1]).toMatchObject({ before: { rotation: 90 }, after: { rotation: 0 } });
    expect(history[0]).toMatchObject({ userLogin: 'op_77_ivanova', before: { blankNumber: null, rotation: 0 }, after: { blankNumber: blank(reg77, 1, 2), status: 'recognized' } });
    expect(Date.parse(history[0]?.at ?? '')).toBeGreaterThan(Date.now() - 600_000);
  });

  it('tells an upload, a school and an event how many scans stay unrecognised: processing waits until none', async () => {
    const gate = async (query: string, cookie = coord77) => (await get(`/api/scans/gate${query}`, cookie)).json<ScanGate>();
    // left: a/002 saved, b/001 deleted, b/003 saved, b/002 saved: none
    expect(await gate(`?uploadId=${uploadId}`)).toEqual({ scope: 'upload', total: 5, unrecognized: 0, readyForProcessing: true });
    // a new page without a code in another upload of the same school
    const more = await mkdtemp(path.join(os.tmpdir(), 'collector-gate-'));
    await writeFile(path.join(more, 'x1.jpg'), await makeBlankPage({ blankNumber: blank(reg77, 2, 3), filled: true, seed: 31 }));
    await writeFile(path.join(more, 'x2.jpg'), await makeBlankPage({ blankNumber: null, filled: true, seed: 32 }));
    await run('zip', ['-q', '-X', 'more.zip', 'x1.jpg', 'x2.jpg'], { cwd: more });
    const second = (await postArchive(ctx, coord77, path.join(more, 'more.zip'))).json<{ id: string }>().id;
    await waitForUpload(ctx, coord77, second);
    expect(await gate(`?uploadId=${second}`)).toMatchObject({ scope: 'upload', unrecognized: 1, readyForProcessing: false });
    expect(await gate('?schoolCode=sch771933')).toMatchObject({ scope: 'school', unrecognized: 1, readyForProcessing: false });
    expect(await gate('?eventCode=VPR-SPO-2026-1')).toMatchObject({ scope: 'event', unrecognized: 1, readyForProcessing: false });
    expect(await gate('')).toMatchObject({ scope: 'region', unrecognized: 1 });
    // region 50 sees nothing of it; another region's school or upload is not found
    expect(await gate('', coord50)).toMatchObject({ scope: 'region', total: 0, unrecognized: 0 });
    expect((await get(`/api/scans/gate?schoolCode=sch771933`, coord50)).statusCode).toBe(404);
    expect((await get(`/api/scans/gate?uploadId=${uploadId}`, coord50)).statusCode).toBe(404);
  }, 120_000);

  it('keeps every new route inside the region: another region’s staff get 404 and change nothing; the admin reaches all', async () => {
    const target = scan('a/003.jpg');
    const before = await current(target.id);
    const reads = ['', '/image', '/image?size=thumb', '/suggestions', '/suggestions?prefix=2003', `/number-check?blankNumber=${blank(reg77, 0, 3)}`, '/history'];
    for (const suffix of reads) {
      const res = await get(`/api/scans/${target.id}${suffix}`, coord50);
      expect(res.statusCode, suffix).toBe(404);
      expect(res.json().code).toBe('not_found');
      expect((await get(`/api/scans/${target.id}${suffix}`, admin)).statusCode, `admin ${suffix}`).toBe(200);
    }
    for (const payload of [{ rotation: 90 }, { blankNumber: blank(reg50, 0, 2) }, { blankNumber: blank(reg77, 1, 3) }]) {
      expect((await patch(target.id, coord50, payload, before.version)).statusCode).toBe(404);
    }
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${target.id}`, headers: { cookie: coord50 } })).statusCode).toBe(404);
    expect(await current(target.id)).toEqual(before);
    expect((await get(`/api/uploads/${uploadId}/scans`, coord50)).statusCode).toBe(404);
    // the admin corrects within the scan's own region registry
    const foreign = await patch(target.id, admin, { blankNumber: blank(reg50, 0, 2) }, before.version);
    expect(foreign.statusCode).toBe(400);
  }, 60_000);

  it('takes DESIGN.md’s PATCH {blankNumber, rotation} from a script without If-Match: turned and numbered in one request, once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-script-'));
    // a page whose code and printed digits are rubbed out: unrecognised as stored
    await writeFile(path.join(dir, 'p1.jpg'), await makeDamagedBlankPage({ blankNumber: blank(reg77, 1, 1), filled: true, seed: 41, lostDigits: 17, lostAs: 'rubbed' }));
    await run('zip', ['-q', '-X', 'one.zip', 'p1.jpg'], { cwd: dir });
    const id = (await postArchive(ctx, coord77, path.join(dir, 'one.zip'))).json<{ id: string }>().id;
    await waitForUpload(ctx, coord77, id);
    const [page] = (await get(`/api/uploads/${id}/scans`, coord77)).json<ScanListResponse>().scans;
    expect(page).toMatchObject({ status: 'unrecognized', version: 0 });
    const turnTo = ((page?.rotation ?? 0) + 180) % 360;
    const saved = await patch(page?.id ?? '', coord77, { blankNumber: blank(reg77, 1, 1), rotation: turnTo }, null);
    expect(saved.statusCode).toBe(200);
    expect(saved.json<UpdateScanResponse>()).toMatchObject({ status: 'recognized', blankNumber: blank(reg77, 1, 1), rotation: turnTo, version: 2 });
    const history = (await get(`/api/scans/${page?.id ?? ''}/history`, coord77)).json<ScanHistoryResponse>().history;
    expect(history.map((h) => h.action)).toEqual(['scan.update', 'scan.rotate']);
    // the same script again, still without a version: the scan is no longer as it was stored
    const again = await patch(page?.id ?? '', op77, { blankNumber: blank(reg77, 2, 2) }, null);
    expect(again.statusCode).toBe(409);
    expect(await current(page?.id ?? '')).toMatchObject({ blankNumber: blank(reg77, 1, 1), version: 2 });
  }, 120_000);
});
