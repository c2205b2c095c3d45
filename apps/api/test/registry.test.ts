import { describeRegistryRowError, type RegistryImportResponse, type RegistryRowError } from '@collector/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';
import { blank, cp1251, csv, importCsv } from './registry-support.ts';

const VPR = 'VPR-SPO-2026-1,ВПР СПО 2026,2026-04-15';

describe.each(databaseKinds())('registry import on %s', (kind) => {
  let ctx: TestContext;
  let admin: string;
  let coordinator: string;

  const counts = async () => {
    const p = ctx.db.prisma;
    const [events, schools, kits, blanks, regions] = await Promise.all([p.event.count(), p.school.count(), p.kit.count(), p.blank.count(), p.region.count()]);
    return { events, schools, kits, blanks, regions };
  };
  const rejected = async (content: Buffer | string) => {
    const before = await counts();
    const res = await importCsv(ctx.app, admin, content);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json<{ code: string; detail: string; errors: RegistryRowError[] }>();
    expect(body.code).toBe('registry_invalid');
    // all or nothing: a refused file leaves the registry exactly as it was
    expect(await counts()).toEqual(before);
    return body.errors.map(describeRegistryRowError);
  };

  beforeAll(async () => {
    ctx = await createTestApp(kind);
    await addUser(ctx, 'admin', 'admin', null);
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    admin = await signIn(ctx, 'admin');
    coordinator = await signIn(ctx, 'spo_coord_77');
  });
  afterAll(() => ctx.close());

  it('is for admins only', async () => {
    const file = csv([`${VPR},77,sch771933,100001,1,${blank(1)}`]);
    const byCoordinator = await importCsv(ctx.app, coordinator, file);
    expect(byCoordinator.statusCode).toBe(403);
    expect(byCoordinator.json().code).toBe('forbidden');
    const summary = await ctx.app.inject({ method: 'GET', url: '/api/registry/summary', headers: { cookie: coordinator } });
    expect(summary.statusCode).toBe(403);
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/registry/summary' });
    expect(anonymous.statusCode).toBe(401);
    expect((await counts()).blanks).toBe(0);
  });

  it('imports a UTF-8 file with a BOM and says what it created', async () => {
    const file =
      '\uFEFF' +
      csv([
        `${VPR},77,sch771933,100001,1,${blank(1)}`,
        `${VPR},77,sch771933,100001,2,${blank(2)}`,
        `${VPR},77,sch771933,100001,3,${blank(3)}`,
        `${VPR},77,sch771933,100002,1,${blank(4)}`,
        `${VPR},77,sch771934,100003,2,${blank(5)}`,
        `NIKO-2026,"НИКО 2026, 7 класс",2026-10-21,50,sch500001,200001,1,${blank(6)}`,
      ]);
    // region 77 exists (its coordinator does); 50 is made on first use unless the region list already has it
    const regionsBefore = await ctx.db.prisma.region.count({ where: { code: { in: ['77', '50'] } } });
    const res = await importCsv(ctx.app, admin, file, 'реестр ВПР.csv');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<RegistryImportResponse>();
    expect(body).toMatchObject({
      fileName: 'реестр ВПР.csv',
      rows: 6,
      encoding: 'utf-8',
      delimiter: ',',
      regions: { created: 2 - regionsBefore, unchanged: regionsBefore },
      events: { created: 2, unchanged: 0 },
      schools: { created: 3, unchanged: 0 },
      kits: { created: 4, updated: 0, unchanged: 0 },
      blanks: { created: 6, unchanged: 0 },
    });

    const p = ctx.db.prisma;
    expect(await p.region.count({ where: { code: { in: ['77', '50'] } } })).toBe(2);
    const kit = await p.kit.findFirstOrThrow({ where: { number: '100001' }, include: { school: true, event: true } });
    expect(kit.slots).toBe(3);
    expect(kit.school.code).toBe('sch771933');
    expect(kit.event.date.toISOString().slice(0, 10)).toBe('2026-04-15');
    // a kit whose only page is the second still has two slots: the first page is missing, not absent
    expect((await p.kit.findFirstOrThrow({ where: { number: '100003' } })).slots).toBe(2);
    const page = await p.blank.findUniqueOrThrow({ where: { number: blank(6) }, include: { event: true } });
    expect(page).toMatchObject({ position: 1, regionCode: '50' });
    expect(page.event.title).toBe('НИКО 2026, 7 класс');

    const audit = await p.auditLog.findFirstOrThrow({ where: { action: 'registry.import' }, include: { user: true } });
    expect(audit.user?.login).toBe('admin');
    expect(audit.after).toMatchObject({ fileName: 'реестр ВПР.csv', rows: 6, blanks: { created: 6, unchanged: 0 } });
  });

  it('changes nothing when the same file comes again', async () => {
    const file =
      '\uFEFF' +
      csv([
        `${VPR},77,sch771933,100001,1,${blank(1)}`,
        `${VPR},77,sch771933,100001,2,${blank(2)}`,
        `${VPR},77,sch771933,100001,3,${blank(3)}`,
        `${VPR},77,sch771933,100002,1,${blank(4)}`,
        `${VPR},77,sch771934,100003,2,${blank(5)}`,
        `NIKO-2026,"НИКО 2026, 7 класс",2026-10-21,50,sch500001,200001,1,${blank(6)}`,
      ]);
    const before = await ctx.db.prisma.blank.findMany({ orderBy: { number: 'asc' } });
    const res = await importCsv(ctx.app, admin, file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      regions: { created: 0, unchanged: 2 },
      events: { created: 0, unchanged: 2 },
      schools: { created: 0, unchanged: 3 },
      kits: { created: 0, updated: 0, unchanged: 4 },
      blanks: { created: 0, unchanged: 6 },
    });
    expect(await ctx.db.prisma.blank.findMany({ orderBy: { number: 'asc' } })).toEqual(before);
  });

  it('reads CP1251 with semicolons, columns in another order, Russian dates and quoted fields', async () => {
    const header = 'blank_number;position;kit_number;school_code;region_code;event_date;event_title;event_code';
    const file = cp1251(
      csv(
        [
          `${blank(101)};1;300001;sch771935;77;21.10.2026;"Мониторинг СПО; «Русский язык»";MON-SPO-2026`,
          `${blank(102)};2;300001;sch771935;77;21.10.2026;"Мониторинг СПО; «Русский язык»";MON-SPO-2026`,
          `;;;;;;;`,
        ],
        header,
      ),
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow();
    const res = await importCsv(ctx.app, admin, file, 'monitoring.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 2, encoding: 'windows-1251', delimiter: ';', events: { created: 1 }, blanks: { created: 2, unchanged: 0 } });
    const event = await ctx.db.prisma.event.findUniqueOrThrow({ where: { code: 'MON-SPO-2026' } });
    expect(event.title).toBe('Мониторинг СПО; «Русский язык»');
    expect(event.date.toISOString().slice(0, 10)).toBe('2026-10-21');
  });

  it('grows a kit when a later file brings a further page of it', async () => {
    const res = await importCsv(ctx.app, admin, csv([`${VPR},77,sch771933,100002,4,${blank(7)}`]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kits: { created: 0, updated: 1, unchanged: 0 }, blanks: { created: 1, unchanged: 0 } });
    expect((await ctx.db.prisma.kit.findFirstOrThrow({ where: { number: '100002' } })).slots).toBe(4);
  });

  it('imports nothing from a file with bad rows and names each one in Russian', async () => {
    const report = await rejected(
      csv([
        `VPR-NEW-2026,Новое мероприятие,2026-05-20,77,sch771940,400001,1,${blank(201)}`,
        `VPR-NEW-2026,Новое мероприятие,2026-05-20,77,sch771940,400001,2,123`,
        `VPR-NEW-2026,Новое мероприятие,31.02.2026,77,sch771940,400001,3,${blank(203)}`,
        `VPR-NEW-2026,Новое мероприятие,2026-05-20,7,sch771940,12345,4,2,00311924130002E+16`,
        `VPR-NEW-2026,,2026-05-20,77,sch 771940,400001,0,${blank(205)}`,
        `VPR-NEW-2026,Новое мероприятие,2026-05-20,77`,
      ]),
    );
    const excelHint = 'Excel мог убрать ведущие нули: задайте столбцу формат «Текстовый» и сохраните файл снова';
    expect(report).toEqual([
      'Строка 3, столбец blank_number, значение "123": номер бланка — 17 цифр',
      'Строка 4, столбец event_date, значение "31.02.2026": такой даты нет в календаре',
      `Строка 5, столбец region_code, значение "7": код региона — две или три цифры; ${excelHint}`,
      `Строка 5, столбец kit_number, значение "12345": номер комплекта — 6 цифр; ${excelHint}`,
      // the unquoted «2,003…E+16» split the row at its comma
      'Строка 5, столбец blank_number, значение "2": номер бланка — 17 цифр',
      'Строка 6, столбец event_title: пустое значение',
      'Строка 6, столбец school_code, значение "sch 771940": код точки проведения — буквы, цифры, точка, дефис или подчёркивание, без пробелов, до 64 символов',
      'Строка 6, столбец position, значение "0": позиция — целое число от 1 до 999',
      'Строка 7: в строке 4 полей, а в заголовке 8: проверьте разделители (,)',
    ]);
    expect(await ctx.db.prisma.event.count({ where: { code: 'VPR-NEW-2026' } })).toBe(0);
  });

  it('says when Excel turned a blank number into 2,00311924130002E+16 or dropped leading zeros', async () => {
    const report = await rejected(
      cp1251(csv([`VPR-SPO-2026-1;ВПР СПО 2026;15.04.2026;7;sch771933;1001;1;2,00311924130002E+16`], HEADER_SEMICOLON)),
    );
    expect(report).toEqual([
      'Строка 2, столбец region_code, значение "7": код региона — две или три цифры; Excel мог убрать ведущие нули: задайте столбцу формат «Текстовый» и сохраните файл снова',
      'Строка 2, столбец kit_number, значение "1001": номер комплекта — 6 цифр; Excel мог убрать ведущие нули: задайте столбцу формат «Текстовый» и сохраните файл снова',
      'Строка 2, столбец blank_number, значение "2,00311924130002E+16": номер бланка — 17 цифр; Excel записал его в экспоненциальном виде: задайте столбцу формат «Текстовый» и сохраните файл снова',
    ]);
  });

  it('refuses a blank number already in another kit or position', async () => {
    expect(await rejected(csv([`${VPR},77,sch771933,100002,2,${blank(1)}`]))).toEqual([
      `Строка 2, столбец blank_number, значение "${blank(1)}": бланк с этим номером уже есть в реестре: мероприятие VPR-SPO-2026-1, комплект 100001, позиция 1`,
    ]);
  });

  it('refuses a position of a kit already taken by another blank', async () => {
    expect(await rejected(csv([`${VPR},77,sch771933,100001,2,${blank(301)}`]))).toEqual([
      `Строка 2, столбец position, значение "2": позиция 2 комплекта 100001 уже занята в реестре бланком ${blank(2)}`,
    ]);
  });

  it('refuses a school already registered in another region', async () => {
    expect(await rejected(csv([`${VPR},50,sch771933,100009,1,${blank(302)}`]))).toEqual([
      'Строка 2, столбец region_code, значение "50": точка проведения sch771933 уже есть в реестре в регионе 77',
    ]);
  });

  it('refuses an event code with another title or date', async () => {
    expect(
      await rejected(
        csv([`VPR-SPO-2026-1,ВПР СПО 2026 (весна),2026-04-15,77,sch771933,100010,1,${blank(303)}`, `NIKO-2026,"НИКО 2026, 7 класс",22.10.2026,50,sch500001,200002,1,${blank(304)}`]),
      ),
    ).toEqual([
      'Строка 2, столбец event_title, значение "ВПР СПО 2026 (весна)": мероприятие VPR-SPO-2026-1 уже есть в реестре с другим названием: "ВПР СПО 2026"',
      'Строка 3, столбец event_date, значение "22.10.2026": мероприятие NIKO-2026 уже есть в реестре с другой датой: 21.10.2026',
    ]);
  });

  it('refuses a kit number already used by another school', async () => {
    expect(await rejected(csv([`${VPR},77,sch771934,100001,4,${blank(305)}`]))).toEqual([
      'Строка 2, столбец school_code, значение "sch771934": комплект 100001 мероприятия VPR-SPO-2026-1 уже есть в реестре у точки проведения sch771933',
    ]);
  });

  it('refuses a file that contradicts itself', async () => {
    expect(
      await rejected(
        csv([
          `VPR-X-2026,Проверка,2026-05-01,78,sch780001,500001,1,${blank(401)}`,
          `VPR-X-2026,Проверка,2026-05-01,78,sch780001,500002,1,${blank(401)}`,
          `VPR-X-2026,Проверка,2026-05-01,79,sch780001,500003,1,${blank(402)}`,
          `VPR-X-2026,Проверка,2026-05-02,78,sch780002,500001,2,${blank(403)}`,
          `VPR-X-2026,Проверка,2026-05-01,78,sch780001,500001,1,${blank(404)}`,
          `VPR-X-2026,Проверка,2026-05-01,78,sch780001,500001,1,${blank(401)}`,
        ]),
      ),
    ).toEqual([
      `Строка 3, столбец blank_number, значение "${blank(401)}": этот номер бланка уже указан в строке 2: мероприятие VPR-X-2026, комплект 500001, позиция 1`,
      'Строка 4, столбец region_code, значение "79": точка проведения sch780001 в строке 2 относится к региону 78',
      'Строка 5, столбец event_date, значение "2026-05-02": у мероприятия VPR-X-2026 в строке 2 другая дата: 01.05.2026',
      'Строка 5, столбец school_code, значение "sch780002": комплект 500001 мероприятия VPR-X-2026 в строке 2 относится к точке проведения sch780001',
      `Строка 6, столбец position, значение "1": позиция 1 комплекта 500001 уже занята бланком ${blank(401)} в строке 2`,
    ]);
  });

  it('refuses a file without the header it needs, or with nothing but the header', async () => {
    expect(await rejected(`${VPR},77,sch771933,100001,1,${blank(1)}\r\n`)).toEqual([
      expect.stringMatching(/^Строка 1: первой строкой нужен заголовок: event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number \(в любом порядке\); нет столбцов /),
    ]);
    expect(await rejected(csv([], HEADER_WITHOUT_POSITION))).toEqual([
      'Строка 1: первой строкой нужен заголовок: event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number (в любом порядке); нет столбцов position',
    ]);
    expect(await rejected(csv([]))).toEqual(['Строка 2: в файле только заголовок: нет ни одной строки реестра']);
    expect(await rejected('')).toEqual(['Строка 1: файл пуст: первой строкой нужен заголовок с названиями столбцов']);
  });

  it('stops at a stray quote and says where', async () => {
    const report = await rejected(csv([`${VPR},77,sch771933,100001,1,${blank(1)}`, `VPR-SPO-2026-1,"ВПР "СПО" 2026",2026-04-15,77,sch771933,100001,1,${blank(1)}`]));
    expect(report).toEqual([expect.stringMatching(/^Строка 3: лишняя кавычка внутри значения/)]);
  });

  it('needs a file in the multipart field', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/registry/import', headers: { cookie: admin }, payload: { file: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', detail: 'Приложите CSV-файл реестра (поле file)' });
  });

  it('sums the registry up by event, region and school', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/registry/summary', headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.events).toEqual([
      { code: 'MON-SPO-2026', title: 'Мониторинг СПО; «Русский язык»', date: '2026-10-21', schools: 1, kits: 1, blanks: 2 },
      { code: 'NIKO-2026', title: 'НИКО 2026, 7 класс', date: '2026-10-21', schools: 1, kits: 1, blanks: 1 },
      { code: 'VPR-SPO-2026-1', title: 'ВПР СПО 2026', date: '2026-04-15', schools: 2, kits: 3, blanks: 6 },
    ]);
    expect(body.regions).toEqual([
      { regionCode: '50', schools: 1, kits: 1, blanks: 1 },
      { regionCode: '77', schools: 3, kits: 4, blanks: 8 },
    ]);
    expect(body.schools).toContainEqual({ code: 'sch771933', regionCode: '77', events: 1, kits: 2, blanks: 5 });
    expect(body.totals).toEqual({ events: 3, schools: 4, kits: 5, blanks: 9 });
  });
});

const HEADER_SEMICOLON = 'event_code;event_title;event_date;region_code;school_code;kit_number;position;blank_number';
const HEADER_WITHOUT_POSITION = 'event_code,event_title,event_date,region_code,school_code,kit_number,blank_number';
