import type { CompletenessEventsResponse, DuplicateListResponse, EmptyScanListResponse, KitListResponse, ProtocolResponse, SchoolListResponse, SchoolRow, SlotState } from '@collector/contracts';
import { schoolLine } from '@collector/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { makeArchive, postArchive, seedRegistry, waitForUpload } from './upload-support.ts';

/**
 * Completeness against a generated event whose truth is known blank by blank. Each blank gets a scenario (nothing
 * arrived, one filled scan, one empty, rescans, deleted scans, a scan filed by a person's correction, a person's
 * verdict on the fill); the expected class of every blank is worked out here from the scenario, independently of the
 * SQL, and compared with the API's school rows and kit grids.
 */

type Scenario =
  | 'missing'
  | 'filled'
  | 'empty'
  | 'rescan'
  | 'rescan3'
  | 'rescan_of_empty'
  | 'deleted_only'
  | 'deleted_then_filled'
  | 'corrected'
  | 'verdict_filled'
  | 'verdict_empty';
const SCENARIOS: Scenario[] = ['missing', 'filled', 'empty', 'rescan', 'rescan3', 'rescan_of_empty', 'deleted_only', 'deleted_then_filled', 'corrected', 'verdict_filled', 'verdict_empty', 'filled', 'filled'];

/** The class the design gives a blank: duplicate (> 1 live scan), then empty, then filled; missing without a live scan. */
const TRUTH: Record<Scenario, { state: SlotState; live: number }> = {
  missing: { state: 'missing', live: 0 },
  filled: { state: 'filled', live: 1 },
  empty: { state: 'empty', live: 1 },
  rescan: { state: 'duplicate', live: 2 },
  rescan3: { state: 'duplicate', live: 3 },
  rescan_of_empty: { state: 'duplicate', live: 2 },
  deleted_only: { state: 'missing', live: 0 },
  deleted_then_filled: { state: 'filled', live: 1 },
  corrected: { state: 'filled', live: 1 },
  // the page analysis said empty, a person said filled
  verdict_filled: { state: 'filled', live: 1 },
  // the page analysis said filled, a person said empty
  verdict_empty: { state: 'empty', live: 1 },
};

interface TruthBlank {
  school: string;
  region: string;
  kit: string;
  position: number;
  number: string;
  scenario: Scenario;
}

const EVENT = 'VPR-GEN-2026';
const SCHOOLS = [
  { code: 'sch770001', region: '77', kits: 4, slots: 5 },
  { code: 'sch770002', region: '77', kits: 3, slots: 4 },
  { code: 'sch770003', region: '77', kits: 2, slots: 3 },
  { code: 'sch500001', region: '50', kits: 3, slots: 5 },
] as const;

/** A deterministic scenario per blank, different across schools, every scenario used. */
function scenarioOf(index: number): Scenario {
  return SCENARIOS[(index * 7 + Math.floor(index / SCENARIOS.length)) % SCENARIOS.length] ?? 'filled';
}

function expectedRow(blanks: TruthBlank[], schoolCode: string) {
  const mine = blanks.filter((b) => b.school === schoolCode);
  const row = { schoolCode, total: 0, filled: 0, duplicates: 0, empty: 0, missing: 0 };
  for (const b of mine) {
    const t = TRUTH[b.scenario];
    row.total += t.live;
    if (t.state === 'duplicate') row.duplicates += t.live;
    else if (t.state === 'empty') row.empty += 1;
    else if (t.state === 'filled') row.filled += 1;
    else row.missing += 1;
  }
  return row;
}

/** The registry and the scans of the generated event; every scan on a real upload row, as the pipeline leaves them. */
async function generateEvent(ctx: TestContext, uploaders: Record<string, string>): Promise<{ blanks: TruthBlank[]; toCorrect: { scanId: string; number: string }[]; verdicts: { scanId: string; fill: 'filled' | 'empty' }[]; toDelete: string[] }> {
  const prisma: PrismaClient = ctx.db.prisma;
  const event = await prisma.event.create({ data: { code: EVENT, title: 'ВПР сгенерированное', date: new Date('2026-04-15') } });
  const blanks: TruthBlank[] = [];
  const toCorrect: { scanId: string; number: string }[] = [];
  const verdicts: { scanId: string; fill: 'filled' | 'empty' }[] = [];
  const toDelete: string[] = [];
  const uploads = new Map<string, string>();
  for (const region of ['77', '50']) {
    const upload = await prisma.upload.create({ data: { regionCode: region, uploadedById: uploaders[region] ?? '', fileName: `gen-${region}.zip`, status: 'done' } });
    uploads.set(region, upload.id);
  }
  let index = 0;
  let entry = 0;
  for (const s of SCHOOLS) {
    const school = await prisma.school.create({ data: { code: s.code, regionCode: s.region, name: `Школа ${s.code}` } });
    for (let k = 0; k < s.kits; k++) {
      const kitNumber = `${s.code.slice(3, 5)}${s.code.slice(-1)}${String(k + 1).padStart(3, '0')}`;
      const kit = await prisma.kit.create({ data: { eventId: event.id, schoolId: school.id, number: kitNumber, slots: s.slots } });
      for (let position = 1; position <= s.slots; position++) {
        const number = `2026041${s.region}${kitNumber}${String(position).padStart(2, '0')}`.padEnd(17, '0').slice(0, 17);
        const blank = await prisma.blank.create({ data: { number, kitId: kit.id, position, eventId: event.id, schoolId: school.id, regionCode: s.region } });
        const scenario = scenarioOf(index++);
        blanks.push({ school: s.code, region: s.region, kit: kitNumber, position, number, scenario });
        const uploadId = uploads.get(s.region) ?? '';
        const scan = async (fill: 'filled' | 'empty', recognised = true) => {
          entry += 1;
          const row = await prisma.scan.create({
            data: {
              uploadId,
              regionCode: s.region,
              entryName: `p-${entry}.jpg`,
              entryIndex: entry,
              sha256: `gen-${entry}`,
              storageKey: `${uploadId}/${entry}.jpg`,
              status: recognised ? 'recognized' : 'unrecognized',
              reason: recognised ? null : 'no_barcode',
              blankNumber: recognised ? number : null,
              blankId: recognised ? blank.id : null,
              fill,
              inkScore: fill === 'filled' ? 0.2 + (entry % 10) / 100 : (entry % 10) / 1000,
            },
          });
          await ctx.app.storage.write(row.storageKey, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
          return row.id;
        };
        switch (scenario) {
          case 'missing':
            break;
          case 'filled':
            await scan('filled');
            break;
          case 'empty':
            await scan('empty');
            break;
          case 'rescan':
            await scan('filled');
            await scan('filled');
            break;
          case 'rescan3':
            await scan('filled');
            await scan('empty');
            await scan('filled');
            break;
          case 'rescan_of_empty':
            await scan('empty');
            await scan('empty');
            break;
          case 'deleted_only':
            toDelete.push(await scan('filled'));
            break;
          case 'deleted_then_filled':
            toDelete.push(await scan('empty'));
            await scan('filled');
            break;
          case 'corrected':
            toCorrect.push({ scanId: await scan('filled', false), number });
            break;
          case 'verdict_filled':
            verdicts.push({ scanId: await scan('empty'), fill: 'filled' });
            break;
          case 'verdict_empty':
            verdicts.push({ scanId: await scan('filled'), fill: 'empty' });
            break;
        }
      }
    }
  }
  // every scenario occurs in region 77
  expect(new Set(blanks.filter((b) => b.region === '77').map((b) => b.scenario)).size).toBe(Object.keys(TRUTH).length);
  return { blanks, toCorrect, verdicts, toDelete };
}

describe.each(databaseKinds())('completeness on %s', (kind) => {
  let ctx: TestContext;
  let admin: string;
  let coord77: string;
  let op77: string;
  let coord50: string;
  let truth: TruthBlank[];

  const get = async <T,>(cookie: string, url: string) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };
  const send = (cookie: string, method: 'POST' | 'PUT', url: string, payload: unknown) => ctx.app.inject({ method, url, headers: { cookie }, payload: payload as object });

  beforeAll(async () => {
    ctx = await createTestApp(kind, { SCAN_WORKERS: '1' });
    await addUser(ctx, 'compl_admin', 'admin', null);
    const u77 = await addUser(ctx, 'compl_coord_77', 'coordinator', '77');
    await addUser(ctx, 'compl_op_77', 'operator', '77');
    const u50 = await addUser(ctx, 'compl_coord_50', 'coordinator', '50');
    admin = await signIn(ctx, 'compl_admin');
    coord77 = await signIn(ctx, 'compl_coord_77');
    op77 = await signIn(ctx, 'compl_op_77');
    coord50 = await signIn(ctx, 'compl_coord_50');
    const generated = await generateEvent(ctx, { '77': u77.id, '50': u50.id });
    truth = generated.blanks;
    // the people's part goes through the API: the correction modal's «Сохранить» and «Удалить», and the fill review
    for (const { scanId, number } of generated.toCorrect) {
      const cookie = truth.find((b) => b.number === number)?.region === '77' ? op77 : coord50;
      const res = await ctx.app.inject({ method: 'PATCH', url: `/api/scans/${scanId}`, headers: { cookie, 'if-match': '"0"' }, payload: { blankNumber: number } });
      expect(res.statusCode, res.body).toBe(200);
    }
    for (const scanId of generated.toDelete) {
      const res = await ctx.app.inject({ method: 'DELETE', url: `/api/scans/${scanId}`, headers: { cookie: admin } });
      expect(res.statusCode, res.body).toBe(200);
    }
    for (const fill of ['filled', 'empty'] as const) {
      const scanIds = generated.verdicts.filter((v) => v.fill === fill).map((v) => v.scanId);
      const res = await send(admin, 'POST', '/api/completeness/fill-reviews', { scanIds, fill });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ updated: scanIds.length });
    }
  }, 120_000);
  afterAll(async () => ctx?.close());

  it('counts every school of the event as the truth has it, in the instruction’s line, red where duplicates are', async () => {
    const list = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools`);
    expect(list.matched).toBe(SCHOOLS.length);
    for (const s of SCHOOLS) {
      const row = list.schools.find((r) => r.schoolCode === s.code);
      expect(row, s.code).toMatchObject({ ...expectedRow(truth, s.code), regionCode: s.region, kits: s.kits });
      expect(row && row.total).toBe((row?.filled ?? 0) + (row?.duplicates ?? 0) + (row?.empty ?? 0));
    }
    const first = list.schools.find((r) => r.schoolCode === 'sch770001') as SchoolRow;
    const e = expectedRow(truth, 'sch770001');
    expect(schoolLine(first)).toBe(`Точка проведения: sch770001 Сканов всего: ${e.total}, правильно заполненных: ${e.filled}, с дублями: ${e.duplicates}, пустых: ${e.empty}`);
    expect(schoolLine({ schoolCode: 'sch770878', total: 96, filled: 77, duplicates: 0, empty: 19 })).toBe('Точка проведения: sch770878 Сканов всего: 96, правильно заполненных: 77, пустых: 19');
  });

  it('marks every blank of every kit as the truth has it, with its live scans, and filters «Правильно заполненные» / «Пустые»', async () => {
    for (const s of SCHOOLS) {
      const cookie = s.region === '77' ? coord77 : coord50;
      const grid = await get<KitListResponse>(cookie, `/api/completeness/schools/${s.code}/kits?event=${EVENT}`);
      expect(grid.positions).toBe(s.slots);
      expect(grid.kits).toHaveLength(s.kits);
      expect(grid.school).toMatchObject(expectedRow(truth, s.code));
      for (const b of truth.filter((t) => t.school === s.code)) {
        const slot = grid.kits.find((k) => k.kitNumber === b.kit)?.slots.find((x) => x.position === b.position);
        expect(slot, `${b.number} (${b.scenario})`).toMatchObject({ blankNumber: b.number, state: TRUTH[b.scenario].state });
        expect(slot?.scanIds, `${b.number} (${b.scenario})`).toHaveLength(TRUTH[b.scenario].live);
      }
      for (const filter of ['filled', 'empty'] as const) {
        const filtered = await get<KitListResponse>(cookie, `/api/completeness/schools/${s.code}/kits?event=${EVENT}&filter=${filter}`);
        const expected = truth.filter((t) => t.school === s.code && TRUTH[t.scenario].state === filter).map((t) => `${t.kit}/${t.position}`).sort();
        expect(filtered.kits.flatMap((k) => k.slots.map((x) => `${k.kitNumber}/${x.position}`)).sort()).toEqual(expected);
        expect(filtered.kits.every((k) => k.slots.length > 0)).toBe(true);
      }
    }
  });

  it('lists the events with scans, totalled over the caller’s regions', async () => {
    const all = await get<CompletenessEventsResponse>(admin, '/api/completeness/events');
    const event = all.events.find((e) => e.code === EVENT);
    const sum = (codes: string[]) => codes.map((c) => expectedRow(truth, c)).reduce((a, r) => ({ total: a.total + r.total, filled: a.filled + r.filled, duplicates: a.duplicates + r.duplicates, empty: a.empty + r.empty, missing: a.missing + r.missing }), { total: 0, filled: 0, duplicates: 0, empty: 0, missing: 0 });
    expect(event?.counts).toEqual(sum(SCHOOLS.map((s) => s.code)));
    expect(event).toMatchObject({ schools: 4, blanks: truth.length, date: '2026-04-15', protocolDueAt: '2026-04-16T21:00:00.000Z' });
    const mine = await get<CompletenessEventsResponse>(coord77, '/api/completeness/events');
    expect(mine.events.find((e) => e.code === EVENT)?.counts).toEqual(sum(['sch770001', 'sch770002', 'sch770003']));
    const filtered = await get<CompletenessEventsResponse>(admin, '/api/completeness/events?region=50');
    expect(filtered.events.find((e) => e.code === EVENT)?.counts).toEqual(sum(['sch500001']));
  });

  it('keeps each region to itself: lists, grids, reviews and protocols of another region are not found', async () => {
    const mine = await get<SchoolListResponse>(coord77, `/api/completeness/events/${EVENT}/schools`);
    expect(mine.schools.map((s) => s.schoolCode).sort()).toEqual(['sch770001', 'sch770002', 'sch770003']);
    // an operator or coordinator cannot widen the view by asking for a region
    const asked = await get<SchoolListResponse>(op77, `/api/completeness/events/${EVENT}/schools?region=50`);
    expect(asked.schools.every((s) => s.regionCode === '77')).toBe(true);
    const adminFiltered = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?region=50`);
    expect(adminFiltered.schools.map((s) => s.schoolCode)).toEqual(['sch500001']);
    for (const path of ['kits', 'duplicates', 'empty', 'protocol', 'export']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/completeness/schools/sch500001/${path}?event=${EVENT}`, headers: { cookie: coord77 } });
      expect(res.statusCode, path).toBe(404);
    }
    const scan50 = (await get<KitListResponse>(coord50, `/api/completeness/schools/sch500001/kits?event=${EVENT}`)).kits.flatMap((k) => k.slots.flatMap((s) => s.scanIds))[0];
    const review = await send(coord77, 'POST', '/api/completeness/fill-reviews', { scanIds: [scan50], fill: 'empty' });
    expect(review.statusCode).toBe(404);
    const keep = await send(coord77, 'POST', '/api/completeness/schools/sch500001/duplicates/keep', { scanId: scan50 });
    expect(keep.statusCode).toBe(404);
    const protocol = await send(coord77, 'POST', '/api/completeness/schools/sch500001/protocol', { event: EVENT, entries: [{ kitNumber: '500001', present: true }] });
    expect(protocol.statusCode).toBe(404);
  });

  it('searches and sorts the school list', async () => {
    const found = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?search=0002`);
    expect(found.schools.map((s) => s.schoolCode)).toEqual(['sch770002']);
    const byMissing = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?sort=missing&order=desc`);
    const missing = byMissing.schools.map((s) => s.missing);
    expect(missing).toEqual([...missing].sort((a, b) => b - a));
    const red = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?only=duplicates`);
    expect(red.schools.map((s) => s.schoolCode).sort()).toEqual(SCHOOLS.map((s) => s.code).filter((c) => expectedRow(truth, c).duplicates > 0).sort());
    const page = await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?limit=2&offset=2`);
    expect(page).toMatchObject({ matched: 4 });
    expect(page.schools).toHaveLength(2);
    expect((await get<SchoolListResponse>(admin, `/api/completeness/events/${EVENT}/schools?search=${encodeURIComponent('%')}`)).matched).toBe(0);
  });

  it('exports the school list and a kit grid as XLSX and CSV with Russian headers, the same numbers as the screen', async () => {
    const list = await get<SchoolListResponse>(coord77, `/api/completeness/events/${EVENT}/schools`);
    const xlsx = await ctx.app.inject({ method: 'GET', url: `/api/completeness/events/${EVENT}/export?format=xlsx`, headers: { cookie: coord77 } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain(`komplektnost-${EVENT}-77.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const rows = (sheet?.getSheetValues() ?? []).slice(1).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows[1]?.slice(0, 9)).toEqual(['Точка проведения', 'Регион', 'Наименование', 'Комплектов', 'Сканов всего', 'Правильно заполненных', 'С дублями', 'Пустых', 'Не загружено бланков']);
    expect(rows.slice(2).map((r) => r.slice(0, 9))).toEqual(list.schools.map((s) => [s.schoolCode, s.regionCode, s.schoolName, s.kits, s.total, s.filled, s.duplicates, s.empty, s.missing]));
    expect(JSON.stringify(rows)).not.toContain('sch500001');

    const csv = await ctx.app.inject({ method: 'GET', url: `/api/completeness/events/${EVENT}/export?format=csv`, headers: { cookie: admin } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]?.startsWith('Точка проведения;Регион;Наименование;Комплектов;Сканов всего;Правильно заполненных;С дублями;Пустых')).toBe(true);
    expect(lines).toHaveLength(1 + SCHOOLS.length);
    const e = expectedRow(truth, 'sch500001');
    expect(lines.find((l) => l.startsWith('sch500001;'))?.split(';').slice(4, 9)).toEqual([e.total, e.filled, e.duplicates, e.empty, e.missing].map(String));

    const grid = await get<KitListResponse>(coord77, `/api/completeness/schools/sch770001/kits?event=${EVENT}`);
    const kitCsv = await ctx.app.inject({ method: 'GET', url: `/api/completeness/schools/sch770001/export?event=${EVENT}&format=csv`, headers: { cookie: coord77 } });
    const kitLines = kitCsv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(kitLines[0]).toBe('Номер комплекта;Бланк 1;Бланк 2;Бланк 3;Бланк 4;Бланк 5');
    const word: Record<SlotState, string> = { filled: 'заполнен', empty: 'пустой', duplicate: 'дубль', missing: '-' };
    expect(kitLines.slice(1)).toEqual(grid.kits.map((k) => [k.kitNumber, ...k.slots.map((s) => word[s.state])].join(';')));
    const kitXlsx = await ctx.app.inject({ method: 'GET', url: `/api/completeness/schools/sch770001/export?event=${EVENT}`, headers: { cookie: coord77 } });
    const kitBook = new ExcelJS.Workbook();
    await kitBook.xlsx.load(kitXlsx.rawPayload as unknown as ArrayBuffer);
    expect(kitBook.worksheets[0]?.getRow(3).getCell(1).value).toBe(grid.kits[0]?.kitNumber);
    expect(kitBook.worksheets[0]?.rowCount).toBe(2 + grid.kits.length);
  });

  it('shows a school’s duplicates side by side; keeping one removes the others, audited, and the school stops being red', async () => {
    const school = 'sch770001';
    const dupes = await get<DuplicateListResponse>(op77, `/api/completeness/schools/${school}/duplicates?event=${EVENT}`);
    const expectedBlanks = truth.filter((b) => b.school === school && TRUTH[b.scenario].state === 'duplicate');
    expect(dupes.groups.map((g) => g.blankNumber).sort()).toEqual(expectedBlanks.map((b) => b.number).sort());
    for (const group of dupes.groups) {
      const expected = expectedBlanks.find((b) => b.number === group.blankNumber);
      expect(group.scans).toHaveLength(TRUTH[expected?.scenario ?? 'missing'].live);
      expect(group.scans[0]).toMatchObject({ uploadFileName: 'gen-77.zip', blankNumber: group.blankNumber });
    }
    const removed: string[] = [];
    for (const group of dupes.groups) {
      const keep = group.scans.at(-1)?.id;
      const res = await send(op77, 'POST', `/api/completeness/schools/${school}/duplicates/keep`, { scanId: keep });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ kept: string; removed: string[] }>();
      expect(body.removed.sort()).toEqual(group.scans.slice(0, -1).map((s) => s.id).sort());
      removed.push(...body.removed);
    }
    // a second «keep» of a resolved blank is a conflict, not a silent success
    const again = await send(op77, 'POST', `/api/completeness/schools/${school}/duplicates/keep`, { scanId: dupes.groups[0]?.scans.at(-1)?.id });
    expect(again.statusCode).toBe(409);
    const audit = await ctx.db.prisma.auditLog.findMany({ where: { entityId: { in: removed }, action: 'scan.delete' } });
    expect(audit).toHaveLength(removed.length);
    expect(audit.every((a) => (a.after as { reason?: string }).reason === 'duplicate_resolved')).toBe(true);
    expect(await ctx.db.prisma.scan.count({ where: { id: { in: removed }, deletedAt: null } })).toBe(0);

    const row = (await get<SchoolListResponse>(op77, `/api/completeness/events/${EVENT}/schools?search=${school}`)).schools[0];
    const before = expectedRow(truth, school);
    expect(row?.duplicates).toBe(0);
    expect(row?.total).toBe(before.total - removed.length);
    expect(row?.missing).toBe(before.missing);
    expect((row?.filled ?? 0) + (row?.empty ?? 0)).toBe(before.filled + before.empty + dupes.groups.length);
  });

  it('lists the «Пустые» by ink, and a person’s verdict moves a scan between the counts', async () => {
    const school = 'sch770002';
    const empties = await get<EmptyScanListResponse>(coord77, `/api/completeness/schools/${school}/empty?event=${EVENT}`);
    expect(empties.scans.map((s) => s.blankNumber).sort()).toEqual(truth.filter((b) => b.school === school && TRUTH[b.scenario].state === 'empty').map((b) => b.number).sort());
    const inks = empties.scans.map((s) => s.inkScore);
    expect(inks).toEqual([...inks].sort((a, b) => b - a));
    const first = empties.scans[0];
    expect(first).toBeDefined();
    const before = (await get<KitListResponse>(coord77, `/api/completeness/schools/${school}/kits?event=${EVENT}`)).school;
    const res = await send(coord77, 'POST', '/api/completeness/fill-reviews', { scanIds: [first?.id], fill: 'filled' });
    expect(res.statusCode).toBe(200);
    const after = (await get<KitListResponse>(coord77, `/api/completeness/schools/${school}/kits?event=${EVENT}`)).school;
    expect(after).toMatchObject({ filled: before.filled + 1, empty: before.empty - 1, total: before.total });
    const audit = await ctx.db.prisma.auditLog.findFirst({ where: { entityId: first?.id, action: 'scan.fill_review' }, orderBy: { id: 'desc' } });
    expect(audit?.after).toMatchObject({ fill: 'filled' });
    // confirming the rest in bulk keeps them empty and marks them reviewed
    const rest = empties.scans.slice(1).map((s) => s.id);
    if (rest.length > 0) {
      expect((await send(coord77, 'POST', '/api/completeness/fill-reviews', { scanIds: rest, fill: 'empty' })).statusCode).toBe(200);
      const reviewed = await get<EmptyScanListResponse>(coord77, `/api/completeness/schools/${school}/empty?event=${EVENT}`);
      expect(reviewed.scans.every((s) => s.reviewed)).toBe(true);
    }
  });

  it('takes a protocol by form and by CSV, flags it late after the due time, and reconciles it with the scans', async () => {
    const school = 'sch770003';
    const open = await get<ProtocolResponse>(coord77, `/api/completeness/schools/${school}/protocol?event=${EVENT}`);
    // the event was on 15 April 2026, long past: not in → overdue
    expect(open).toMatchObject({ state: 'overdue', submittedAt: null, dueAt: '2026-04-16T21:00:00.000Z' });
    const kits = open.kitNumbers;
    expect(kits).toHaveLength(2);
    const [kitA = '', kitB = ''] = kits;
    const refusedOperator = await send(op77, 'POST', `/api/completeness/schools/${school}/protocol`, { event: EVENT, entries: [{ kitNumber: kitA, present: true }] });
    expect(refusedOperator.statusCode).toBe(403);
    const unknown = await send(coord77, 'POST', `/api/completeness/schools/${school}/protocol`, { event: EVENT, entries: [{ kitNumber: '999999', present: true }] });
    expect(unknown.statusCode).toBe(400);

    const res = await send(coord77, 'POST', `/api/completeness/schools/${school}/protocol`, { event: EVENT, entries: [{ kitNumber: kitA, present: true }, { kitNumber: kitB, present: false }] });
    expect(res.statusCode, res.body).toBe(200);
    const protocol = res.json<ProtocolResponse>();
    expect(protocol).toMatchObject({ state: 'late', submittedBy: 'compl_coord_77' });
    const blanksOf = (kit: string) => truth.filter((b) => b.school === school && b.kit === kit);
    const missingA = blanksOf(kitA).filter((b) => TRUTH[b.scenario].state === 'missing').map((b) => b.position);
    if (missingA.length > 0) expect(protocol.reconciliation.presentMissing).toEqual([{ kitNumber: kitA, missingPositions: missingA }]);
    else expect(protocol.reconciliation.presentComplete).toEqual([kitA]);
    const scannedB = blanksOf(kitB).some((b) => TRUTH[b.scenario].live > 0);
    expect(protocol.reconciliation.absentScanned).toEqual(scannedB ? [kitB] : []);

    // the CSV form, with Russian headers and marks: only kit A listed, so kit B (scanned) is «not in the protocol»
    const imported = await send(coord77, 'POST', `/api/completeness/schools/${school}/protocol/import`, { event: EVENT, csv: `Номер комплекта;Присутствовал\r\n${kitA};да\r\n` });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json<ProtocolResponse>().entries).toEqual([{ kitNumber: kitA, present: true }]);
    expect(imported.json<ProtocolResponse>().reconciliation.scannedNotInProtocol).toEqual(scannedB ? [kitB] : []);
    const bad = await send(coord77, 'POST', `/api/completeness/schools/${school}/protocol/import`, { event: EVENT, csv: `kit_number,present\n${kitA},может быть\n` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('строка 2');
    const rows = (await get<SchoolListResponse>(coord77, `/api/completeness/events/${EVENT}/schools`)).schools;
    expect(rows.find((r) => r.schoolCode === school)?.protocol).toBe('late');
    expect(rows.find((r) => r.schoolCode === 'sch770001')?.protocol).toBe('overdue');
    expect(await ctx.db.prisma.auditLog.count({ where: { entityType: 'protocol' } })).toBe(2);
  });

  it('counts scans that came through the real upload pipeline: rescans are duplicates, the same bytes again are nothing new, unrecognised scans hold the school back', async () => {
    const reg = await seedRegistry(ctx.db.prisma, '77', { eventCode: 'VPR-REAL-2026', kits: 2, slots: 3 });
    const [k1 = [], k2 = []] = [...reg.kits.values()];
    const archive = await makeArchive([
      { name: 'a/1.jpg', page: { blankNumber: k1[0] ?? '', filled: true, seed: 11 } },
      { name: 'a/2.jpg', page: { blankNumber: k1[1] ?? '', filled: false, seed: 12 } },
      { name: 'a/3.jpg', page: { blankNumber: k1[2] ?? '', filled: true, seed: 13 } },
      { name: 'a/4.jpg', page: { blankNumber: k2[0] ?? '', filled: true, seed: 14 } },
      { name: 'a/5.jpg', page: { blankNumber: null, filled: true, seed: 15 } },
    ]);
    const first = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, archive)).json<{ id: string }>().id);
    expect(first.counts).toMatchObject({ newScans: 5, recognized: 4, unrecognized: 1 });
    const again = await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, archive)).json<{ id: string }>().id);
    expect(again.counts).toMatchObject({ newScans: 0 });
    const rescan = await makeArchive([{ name: 'r/1.jpg', page: { blankNumber: k1[0] ?? '', filled: true, seed: 99 } }]);
    await waitForUpload(ctx, coord77, (await postArchive(ctx, coord77, rescan)).json<{ id: string }>().id);

    const grid = await get<KitListResponse>(coord77, `/api/completeness/schools/sch771933/kits?event=VPR-REAL-2026`);
    const states = grid.kits.map((k) => k.slots.map((s) => s.state));
    expect(states).toEqual([
      ['duplicate', 'empty', 'filled'],
      ['filled', 'missing', 'missing'],
    ]);
    expect(grid.school).toMatchObject({ total: 5, duplicates: 2, empty: 1, filled: 2, missing: 2, unrecognized: 1 });
    const events = await get<CompletenessEventsResponse>(coord77, '/api/completeness/events');
    expect(events.events.find((e) => e.code === 'VPR-REAL-2026')).toMatchObject({ unrecognized: 1, schoolsWithDuplicates: 1 });
  }, 180_000);
});
