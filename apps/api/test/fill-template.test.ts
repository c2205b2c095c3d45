import type { Scan } from '@collector/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { makeArchive, postArchive, seedRegistry, waitForUpload, type RegistrySeed } from './upload-support.ts';

describe.each(databaseKinds())('filled / empty of a one-page rescan on %s', (kind) => {
  let ctx: TestContext;
  let cookie: string;
  let reg: RegistrySeed;
  const numbers = (position: number) => [...reg.kits.values()].map((kit) => kit[position - 1] ?? 'missing');

  beforeAll(async () => {
    ctx = await createTestApp(kind, { SCAN_WORKERS: '2' });
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    reg = await seedRegistry(ctx.db.prisma, '77', { kits: 10, slots: 1 });
    cookie = await signIn(ctx, 'spo_coord_77');
  });
  afterAll(async () => ctx?.close());

  const scansOf = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/api/uploads/${id}/scans`, headers: { cookie } })).json<{ scans: Scan[] }>().scans;

  it('learns the print of an event’s blank position from a batch and judges a later single page against it', async () => {
    const blanks = numbers(1);
    // a classroom of eight: six filled, two left empty
    const batch = await makeArchive(blanks.slice(0, 8).map((blankNumber, i) => ({ name: `aud/p${i}.jpg`, page: { blankNumber, filled: i >= 2, seed: 500 + i } })));
    const first = await waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, batch)).json<{ id: string }>().id);
    expect(first).toMatchObject({ status: 'done', counts: { total: 8, recognized: 8, empty: 2 } });
    const template = await ctx.db.prisma.fillTemplate.findUnique({ where: { eventId_position: { eventId: reg.eventId, position: 1 } } });
    expect(template?.pages).toBe(8);

    // two rescans of one page each: one left empty, one filled in
    const emptyRescan = await makeArchive([{ name: 'rescan-empty.jpg', page: { blankNumber: blanks[8] ?? null, filled: false, seed: 900 } }]);
    const filledRescan = await makeArchive([{ name: 'rescan-filled.jpg', page: { blankNumber: blanks[9] ?? null, filled: true, seed: 901 } }]);
    const emptyUpload = await waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, emptyRescan)).json<{ id: string }>().id);
    const filledUpload = await waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, filledRescan)).json<{ id: string }>().id);
    expect((await scansOf(emptyUpload.id))[0]).toMatchObject({ status: 'recognized', fill: 'empty' });
    expect((await scansOf(filledUpload.id))[0]).toMatchObject({ status: 'recognized', fill: 'filled' });
  });

  it('sets a one-page rescan of a blank type that prints its code sideways upright, as the batch set its form', async () => {
    const sideways = await seedRegistry(ctx.db.prisma, '77', { eventCode: 'VPR-SPO-2026-S', kits: 11, slots: 1, kitBase: 103001 });
    const blanks = [...sideways.kits.values()].map((kit) => kit[0] ?? 'missing');
    // alone, each page takes its code's way up, a quarter turn off its words; the batch turns the form as a whole
    const batch = await makeArchive(blanks.slice(0, 8).map((blankNumber, i) => ({ name: `side/p${i}.jpg`, page: { blankNumber, filled: i >= 2, seed: 700 + i, codeSideways: true } })));
    const first = await waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, batch)).json<{ id: string }>().id);
    expect(first).toMatchObject({ status: 'done', counts: { total: 8, recognized: 8, empty: 2 } });
    expect((await scansOf(first.id)).map((scan) => scan.rotation)).toEqual(Array.from({ length: 8 }, () => 0));
    const template = await ctx.db.prisma.fillTemplate.findUnique({ where: { eventId_position: { eventId: sideways.eventId, position: 1 } } });
    // learnt from the pages as analysed alone, with the quarter turn the batch gave them all
    expect(template).toMatchObject({ turn: 90, pages: 8 });

    // rescans of one page each, scanned upright, upside down and turned: the template's turn sets them upright
    for (const [at, rotation, filled] of [[8, 0, false], [9, 180, true], [10, 90, true]] as const) {
      const rescan = await makeArchive([{ name: `rescan-${at}.jpg`, page: { blankNumber: blanks[at] ?? null, filled, seed: 950 + at, codeSideways: true, rotation } }]);
      const upload = await waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, rescan)).json<{ id: string }>().id);
      expect((await scansOf(upload.id))[0], `rescan ${at}`).toMatchObject({ status: 'recognized', rotation: (360 - rotation) % 360, fill: filled ? 'filled' : 'empty' });
    }
  });

  it('turns nothing by a template stored without the turn of its form, and replaces it with the next batch that finds it', async () => {
    const older = await seedRegistry(ctx.db.prisma, '77', { eventCode: 'VPR-SPO-2026-T', kits: 13, slots: 1, kitBase: 104001 });
    const blanks = [...older.kits.values()].map((kit) => kit[0] ?? 'missing');
    const upload = async (names: string[], pages: Array<{ blankNumber: string; filled: boolean; seed: number }>) => {
      const archive = await makeArchive(pages.map((page, i) => ({ name: names[i] ?? `p${i}.jpg`, page: { ...page, codeSideways: true } })));
      return waitForUpload(ctx, cookie, (await postArchive(ctx, cookie, archive)).json<{ id: string }>().id);
    };
    const where = { eventId_position: { eventId: older.eventId, position: 1 } };
    const six = (from: number) => blanks.slice(from, from + 6).map((blankNumber, i) => ({ blankNumber, filled: i >= 2, seed: 1200 + from + i }));
    await upload(['a0.jpg', 'a1.jpg', 'a2.jpg', 'a3.jpg', 'a4.jpg', 'a5.jpg'], six(0));
    // as such a template was stored: of more pages than any later batch, and without the turn
    await ctx.db.prisma.fillTemplate.update({ where, data: { turn: 0, pages: 24 } });
    const rescan = await upload(['old-template.jpg'], [{ blankNumber: blanks[12] ?? 'missing', filled: true, seed: 1300 }]);
    // alone, the page takes its code's way up; the template without a turn does not turn it
    expect((await scansOf(rescan.id))[0]).toMatchObject({ status: 'recognized', rotation: 270, fill: 'filled' });
    await upload(['b0.jpg', 'b1.jpg', 'b2.jpg', 'b3.jpg', 'b4.jpg', 'b5.jpg'], six(6));
    expect(await ctx.db.prisma.fillTemplate.findUnique({ where })).toMatchObject({ turn: 90, pages: 6 });
  });
});
