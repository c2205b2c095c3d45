import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';

/** One region's registry, an upload and two scans (one recognised, one not), with stored images. */
async function seedRegion(ctx: TestContext, prisma: PrismaClient, regionCode: string, uploaderId: string, eventId: string) {
  const school = await prisma.school.create({ data: { code: `sch${regionCode}1933`, regionCode } });
  const kit = await prisma.kit.create({ data: { eventId, schoolId: school.id, number: `${regionCode}0001`, slots: 2 } });
  const blanks = await Promise.all(
    [1, 2].map((position) =>
      prisma.blank.create({
        data: { number: `200311924${regionCode}00000${position}`.padEnd(17, '0'), kitId: kit.id, position, eventId, schoolId: school.id, regionCode },
      }),
    ),
  );
  const upload = await prisma.upload.create({ data: { regionCode, uploadedById: uploaderId, fileName: `aud-${regionCode}.zip`, status: 'done', newScans: 2 } });
  const scanData = (i: number) => ({ uploadId: upload.id, regionCode, entryName: `scan-${i}.jpg`, entryIndex: i, sha256: `${regionCode}-${i}`, storageKey: `${upload.id}/${i}.jpg` });
  const recognized = await prisma.scan.create({ data: { ...scanData(1), status: 'recognized', blankNumber: blanks[0]?.number ?? null, blankId: blanks[0]?.id ?? null } });
  const unrecognized = await prisma.scan.create({ data: { ...scanData(2), status: 'unrecognized', reason: 'no_barcode' } });
  for (const scan of [recognized, unrecognized]) await ctx.app.storage.write(scan.storageKey, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  return { upload, recognized, unrecognized, blanks };
}

describe.each(databaseKinds())('region isolation on %s', (kind) => {
  let ctx: TestContext;
  let coord77: string;
  let op77: string;
  let admin: string;
  let r77: Awaited<ReturnType<typeof seedRegion>>;
  let r50: Awaited<ReturnType<typeof seedRegion>>;
  let user50Id: string;

  beforeAll(async () => {
    ctx = await createTestApp(kind);
    const prisma = ctx.db.prisma;
    const u77 = await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await addUser(ctx, 'op_77_ivanova', 'operator', '77');
    const u50 = await addUser(ctx, 'spo_coord_50', 'coordinator', '50');
    user50Id = u50.id;
    await addUser(ctx, 'admin2', 'admin', null);
    const event = await prisma.event.create({ data: { code: 'VPR-SPO-2026-1', title: 'ВПР СПО', date: new Date('2026-10-01') } });
    r77 = await seedRegion(ctx, prisma, '77', u77.id, event.id);
    r50 = await seedRegion(ctx, prisma, '50', u50.id, event.id);
    coord77 = await signIn(ctx, 'spo_coord_77');
    op77 = await signIn(ctx, 'op_77_ivanova');
    admin = await signIn(ctx, 'admin2');
  });
  afterAll(() => ctx.close());

  const get = (url: string, cookie: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie } });

  it('lists only the own region’s uploads; the admin sees all and can filter', async () => {
    const mine = (await get('/api/uploads', coord77)).json().uploads as Array<{ regionCode: string; counts: unknown }>;
    expect(mine.map((u) => u.regionCode)).toEqual(['77']);
    expect(mine[0]?.counts).toEqual({ total: 2, newScans: 2, recognized: 1, unrecognized: 1, duplicates: 0, empty: 0, alreadyStored: 0 });
    const all = (await get('/api/uploads', admin)).json().uploads as Array<{ regionCode: string }>;
    expect(all.map((u) => u.regionCode).sort()).toEqual(['50', '77']);
    const only50 = (await get('/api/uploads?regionCode=50', admin)).json().uploads as Array<{ regionCode: string }>;
    expect(only50.map((u) => u.regionCode)).toEqual(['50']);
    // a coordinator's filter cannot widen the scope
    const sneaky = (await get('/api/uploads?regionCode=50', coord77)).json().uploads as Array<{ regionCode: string }>;
    expect(sneaky.map((u) => u.regionCode)).toEqual(['77']);
  });

  it('answers 404 to a coordinator and an operator of 77 for every id route of region 50', async () => {
    for (const cookie of [coord77, op77]) {
      const reads = [
        `/api/uploads/${r50.upload.id}`,
        `/api/uploads/${r50.upload.id}/scans`,
        `/api/scans/${r50.recognized.id}`,
        `/api/scans/${r50.unrecognized.id}/image`,
      ];
      for (const url of reads) {
        const res = await get(url, cookie);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().code).toBe('not_found');
      }
      const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/scans/${r50.unrecognized.id}`, headers: { cookie }, payload: { blankNumber: r50.blanks[1]?.number } });
      expect(patch.statusCode).toBe(404);
      const del = await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${r50.recognized.id}`, headers: { cookie } });
      expect(del.statusCode).toBe(404);
      const userPatch = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${user50Id}`, headers: { cookie }, payload: { disabled: true } });
      expect(userPatch.statusCode).toBe(403);
    }
    // nothing of region 50 changed
    const after = await ctx.db.prisma.scan.findMany({ where: { regionCode: '50' }, orderBy: { entryName: 'asc' } });
    expect(after.map((s) => [s.status, s.deletedAt])).toEqual([['recognized', null], ['unrecognized', null]]);
    expect((await ctx.db.prisma.user.findUniqueOrThrow({ where: { id: user50Id } })).disabled).toBe(false);
  });

  it('lets the region’s own staff read their scans and images', async () => {
    const scans = (await get(`/api/uploads/${r77.upload.id}/scans?status=unrecognized`, op77)).json().scans as Array<{ id: string; reason: string }>;
    expect(scans).toEqual([expect.objectContaining({ id: r77.unrecognized.id, reason: 'no_barcode' })]);
    const image = await get(`/api/scans/${r77.recognized.id}/image`, coord77);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect([...image.rawPayload]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('files a typed blank number only under the own region’s registry, and records who did it', async () => {
    let version = 0;
    const patch = (number: string | null) =>
      ctx.app.inject({ method: 'PATCH', url: `/api/scans/${r77.unrecognized.id}`, headers: { cookie: op77, 'if-match': `"${version}"` }, payload: { blankNumber: number } });
    // another region's blank and an unknown number are refused in the same Russian words, and nothing is filed
    const foreign = await patch(r50.blanks[1]?.number ?? '');
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'validation_failed', detail: expect.stringMatching(/нет в реестре региона 77/) });
    const unknown = await patch('99999999999999999');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/нет в реестре региона 77/);
    const ok = await patch(r77.blanks[1]?.number ?? '');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'recognized', reason: null, kitNumber: '770001', position: 2, duplicate: false });
    version = ok.json().version;
    const audit = await ctx.db.prisma.auditLog.findMany({ where: { entityId: r77.unrecognized.id }, orderBy: { id: 'asc' }, include: { user: true } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'scan.update', regionCode: '77', user: expect.objectContaining({ login: 'op_77_ivanova' }) });
    expect(audit[0]?.after).toMatchObject({ status: 'recognized', blankNumber: r77.blanks[1]?.number });

    const bad = await patch('12ab');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
  });

  it('marks both scans of one blank as duplicates, and deleting one clears it', async () => {
    const { upload, recognized } = r77;
    const twin = await ctx.db.prisma.scan.create({
      data: { uploadId: upload.id, regionCode: '77', entryName: 'scan-3.jpg', sha256: '77-3', storageKey: `${upload.id}/3.jpg`, status: 'recognized', blankNumber: recognized.blankNumber, blankId: recognized.blankId },
    });
    const withDup = (await get(`/api/uploads/${upload.id}`, coord77)).json();
    expect(withDup.counts.duplicates).toBe(2);
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${twin.id}`, headers: { cookie: coord77 } });
    expect(del.statusCode).toBe(200);
    expect(del.json().instruction).toMatch(/Отсканируйте этот бланк заново/);
    expect((await get(`/api/scans/${twin.id}`, coord77)).statusCode).toBe(404);
    expect((await get(`/api/uploads/${upload.id}`, coord77)).json().counts.duplicates).toBe(0);
    const audit = await ctx.db.prisma.auditLog.findFirst({ where: { entityId: twin.id, action: 'scan.delete' } });
    expect(audit?.before).toMatchObject({ status: 'recognized' });
  });
});
