import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RegistryImportResponse, RegistryRowError } from '@collector/contracts';
import { AppError } from '../errors.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';
import { MAX_POSITION, MAX_REPORTED_ERRORS, readRegistryCsv, RegistryFileError, RowErrors, type RegistryRow } from './read-registry-csv.ts';

/**
 * Rows per statement (one array parameter per column). Prisma keeps the arguments of its last 100
 * queries for its error reports, so the batch size also bounds what an import leaves in memory
 * (100 × 2,000 rows, some 60 MB); a 600,000-row file still takes only a few hundred statements.
 */
const BATCH = 2_000;
const SLOT_KEY = MAX_POSITION + 1;
/** A 600,000-row file takes well under a minute; a slow disk or a busy server gets room to spare. */
const TRANSACTION_TIMEOUT_MS = 30 * 60_000;

type Tx = Prisma.TransactionClient;

/**
 * The file as events, schools, kits and blanks, checked row by row for agreement with itself.
 * Kits and blanks live in parallel arrays (not one object per row) so 600,000 rows stay small.
 */
class RegistryFile {
  readonly events = new Map<string, { title: string; date: string; dateText: string; line: number }>();
  readonly schools = new Map<string, { regionCode: string; line: number }>();
  readonly kitIndex = new Map<string, number>();
  readonly kitEvent: string[] = [];
  readonly kitNumber: string[] = [];
  readonly kitSchool: string[] = [];
  readonly kitSlots: number[] = [];
  readonly kitLine: number[] = [];
  readonly blankIndex = new Map<string, number>();
  /** kit × SLOT_KEY + position → blank */
  readonly slotIndex = new Map<number, number>();
  readonly blankNumber: string[] = [];
  readonly blankKit: number[] = [];
  readonly blankPosition: number[] = [];
  readonly blankLine: number[] = [];

  constructor(private readonly errors: RowErrors) {}

  add(row: RegistryRow): void {
    const { line } = row;
    const before = this.errors.count;
    const event = this.events.get(row.eventCode);
    if (event && event.title !== row.eventTitle) {
      this.errors.add(line, 'event_title', row.eventTitle, `у мероприятия ${row.eventCode} в строке ${String(event.line)} другое название: "${event.title}"`);
    }
    if (event && event.date !== row.eventDate) {
      this.errors.add(line, 'event_date', row.eventDateText, `у мероприятия ${row.eventCode} в строке ${String(event.line)} другая дата: ${ruDate(event.date)}`);
    }
    const school = this.schools.get(row.schoolCode);
    if (school && school.regionCode !== row.regionCode) {
      this.errors.add(line, 'region_code', row.regionCode, `точка проведения ${row.schoolCode} в строке ${String(school.line)} относится к региону ${school.regionCode}`);
    }
    const kit = this.kitIndex.get(`${row.eventCode}\t${row.kitNumber}`);
    if (kit !== undefined && this.kitSchool[kit] !== row.schoolCode) {
      this.errors.add(
        line,
        'school_code',
        row.schoolCode,
        `комплект ${row.kitNumber} мероприятия ${row.eventCode} в строке ${String(this.kitLine[kit])} относится к точке проведения ${String(this.kitSchool[kit])}`,
      );
    }
    const known = this.blankIndex.get(row.blankNumber);
    const repeated = known !== undefined && this.blankKit[known] === kit && this.blankPosition[known] === row.position;
    if (known !== undefined && !repeated) {
      const knownKit = this.blankKit[known] ?? 0;
      this.errors.add(
        line,
        'blank_number',
        row.blankNumber,
        `этот номер бланка уже указан в строке ${String(this.blankLine[known])}: мероприятие ${String(this.kitEvent[knownKit])}, комплект ${String(this.kitNumber[knownKit])}, позиция ${String(this.blankPosition[known])}`,
      );
    }
    const occupant = kit === undefined ? undefined : this.slotIndex.get(kit * SLOT_KEY + row.position);
    if (occupant !== undefined && this.blankNumber[occupant] !== row.blankNumber) {
      this.errors.add(
        line,
        'position',
        String(row.position),
        `позиция ${String(row.position)} комплекта ${row.kitNumber} уже занята бланком ${String(this.blankNumber[occupant])} в строке ${String(this.blankLine[occupant])}`,
      );
    }
    // a row repeated word for word adds nothing; a bad row adds nothing either
    if (this.errors.count > before || repeated) return;

    if (!event) this.events.set(row.eventCode, { title: row.eventTitle, date: row.eventDate, dateText: row.eventDateText, line });
    if (!school) this.schools.set(row.schoolCode, { regionCode: row.regionCode, line });
    let kitAt = kit;
    if (kitAt === undefined) {
      kitAt = this.kitEvent.length;
      this.kitIndex.set(`${row.eventCode}\t${row.kitNumber}`, kitAt);
      this.kitEvent.push(row.eventCode);
      this.kitNumber.push(row.kitNumber);
      this.kitSchool.push(row.schoolCode);
      this.kitSlots.push(0);
      this.kitLine.push(line);
    }
    this.kitSlots[kitAt] = Math.max(this.kitSlots[kitAt] ?? 0, row.position);
    const blank = this.blankNumber.length;
    this.blankIndex.set(row.blankNumber, blank);
    this.slotIndex.set(kitAt * SLOT_KEY + row.position, blank);
    this.blankNumber.push(row.blankNumber);
    this.blankKit.push(kitAt);
    this.blankPosition.push(row.position);
    this.blankLine.push(line);
  }
}

function ruDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${String(d)}.${String(m)}.${String(y)}`;
}

async function* batches<T>(items: readonly T[], size = BATCH): AsyncGenerator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2002' || JSON.stringify(error.meta ?? {}).includes('23505');
}

interface Counts {
  regions: { created: number; unchanged: number };
  events: { created: number; unchanged: number };
  schools: { created: number; unchanged: number };
  kits: { created: number; updated: number; unchanged: number };
  blanks: { created: number; unchanged: number };
}

/**
 * Compares the file with what the registry already holds, inside the import's transaction.
 * Every disagreement is a row error (a conflict is never settled by overwriting); with none, writes
 * what is new in a few statements per 20,000 rows.
 */
async function applyToDatabase(tx: Tx, file: RegistryFile, errors: RowErrors, fileErrorCount: number): Promise<Counts> {
  // one import at a time: two files racing for the same blank would both pass the checks below
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('collector.registry-import'))`);

  // events: the same code must mean the same title and date
  const eventIds = new Map<string, string>();
  const newEvents: string[] = [];
  const knownEvents = await tx.$queryRawUnsafe<{ id: string; code: string; title: string; date: string }[]>(
    `SELECT id, code, title, to_char(date, 'YYYY-MM-DD') AS date FROM "Event" WHERE code = ANY($1::text[])`,
    [...file.events.keys()],
  );
  const knownEventByCode = new Map(knownEvents.map((e) => [e.code, e]));
  for (const [code, event] of file.events) {
    const known = knownEventByCode.get(code);
    if (!known) {
      eventIds.set(code, randomUUID());
      newEvents.push(code);
      continue;
    }
    eventIds.set(code, known.id);
    if (known.title !== event.title) errors.add(event.line, 'event_title', event.title, `мероприятие ${code} уже есть в реестре с другим названием: "${known.title}"`);
    if (known.date !== event.date) errors.add(event.line, 'event_date', event.dateText, `мероприятие ${code} уже есть в реестре с другой датой: ${ruDate(known.date)}`);
  }

  // schools: a school belongs to one region for good
  const schoolIds = new Map<string, string>();
  const newSchools: string[] = [];
  for await (const codes of batches([...file.schools.keys()])) {
    const known = await tx.$queryRawUnsafe<{ id: string; code: string; regionCode: string }[]>(
      `SELECT id, code, "regionCode" FROM "School" WHERE code = ANY($1::text[])`,
      codes,
    );
    const byCode = new Map(known.map((s) => [s.code, s]));
    for (const code of codes) {
      const school = file.schools.get(code);
      const existing = byCode.get(code);
      if (!school) continue;
      if (!existing) {
        schoolIds.set(code, randomUUID());
        newSchools.push(code);
        continue;
      }
      schoolIds.set(code, existing.id);
      if (existing.regionCode !== school.regionCode) {
        errors.add(school.line, 'region_code', school.regionCode, `точка проведения ${code} уже есть в реестре в регионе ${existing.regionCode}`);
      }
    }
  }

  // regions: only those in the list of regions (the ФИС ОКО codes, and any an admin added)
  const fileRegions = [...new Set([...file.schools.values()].map((s) => s.regionCode))];
  const knownRegions = new Set(
    (await tx.$queryRawUnsafe<{ code: string }[]>(`SELECT code FROM "Region" WHERE code = ANY($1::text[])`, fileRegions)).map((r) => r.code),
  );
  for (const [code, school] of file.schools) {
    if (!knownRegions.has(school.regionCode)) {
      errors.add(school.line, 'region_code', school.regionCode, `региона ${school.regionCode} (точка проведения ${code}) нет в справочнике регионов`);
    }
  }

  // kits of events already known: the same number must be the same school's kit
  const kitCount = file.kitEvent.length;
  const kitIds: string[] = new Array<string>(kitCount);
  const kitKnownSlots = new Int32Array(kitCount).fill(-1);
  const knownEventKits: number[] = [];
  for (let kit = 0; kit < kitCount; kit += 1) {
    if (knownEventByCode.has(file.kitEvent[kit] ?? '')) knownEventKits.push(kit);
  }
  for await (const kits of batches(knownEventKits)) {
    const found = await tx.$queryRawUnsafe<{ id: string; eventId: string; number: string; slots: number; schoolCode: string }[]>(
      `SELECT k.id, k."eventId", k.number, k.slots, s.code AS "schoolCode"
         FROM unnest($1::uuid[], $2::text[]) AS f(event_id, number)
         JOIN "Kit" k ON k."eventId" = f.event_id AND k.number = f.number
         JOIN "School" s ON s.id = k."schoolId"`,
      kits.map((kit) => eventIds.get(file.kitEvent[kit] ?? '')),
      kits.map((kit) => file.kitNumber[kit]),
    );
    const eventCodeById = new Map([...eventIds].map(([code, id]) => [id, code]));
    for (const row of found) {
      const kit = file.kitIndex.get(`${String(eventCodeById.get(row.eventId))}\t${row.number}`);
      if (kit === undefined) continue;
      kitIds[kit] = row.id;
      kitKnownSlots[kit] = row.slots;
      if (row.schoolCode !== file.kitSchool[kit]) {
        errors.add(
          file.kitLine[kit] ?? 0,
          'school_code',
          file.kitSchool[kit] ?? '',
          `комплект ${String(file.kitNumber[kit])} мероприятия ${String(file.kitEvent[kit])} уже есть в реестре у точки проведения ${row.schoolCode}`,
        );
      }
    }
  }
  for (let kit = 0; kit < kitCount; kit += 1) kitIds[kit] ??= randomUUID();

  // blanks already registered: the same number must sit in the same kit at the same position
  const blankCount = file.blankNumber.length;
  const blankKnown = new Uint8Array(blankCount);
  const misplaced: number[] = [];
  const allBlanks = Array.from({ length: blankCount }, (_, blank) => blank);
  for await (const blanks of batches(allBlanks)) {
    // only a flag per registered number comes back, not the rows: a re-import of 600,000 rows stays small
    const found = await tx.$queryRawUnsafe<{ i: number; same: boolean }[]>(
      `SELECT f.i, (b."kitId" = f.kit_id AND b.position = f.position) AS same
         FROM unnest($1::text[], $2::uuid[], $3::int[], $4::int[]) AS f(number, kit_id, position, i)
         JOIN "Blank" b ON b.number = f.number`,
      blanks.map((blank) => file.blankNumber[blank]),
      blanks.map((blank) => kitIds[file.blankKit[blank] ?? 0]),
      blanks.map((blank) => file.blankPosition[blank]),
      blanks,
    );
    for (const row of found) {
      if (row.same) blankKnown[row.i] = 1;
      else misplaced.push(row.i);
    }
  }
  for await (const blanks of batches(misplaced.slice(0, MAX_REPORTED_ERRORS))) {
    const found = await tx.$queryRawUnsafe<{ number: string; position: number; kitNumber: string; eventCode: string }[]>(
      `SELECT b.number, b.position, k.number AS "kitNumber", e.code AS "eventCode"
         FROM "Blank" b JOIN "Kit" k ON k.id = b."kitId" JOIN "Event" e ON e.id = b."eventId"
        WHERE b.number = ANY($1::text[])`,
      blanks.map((blank) => file.blankNumber[blank]),
    );
    const byNumber = new Map(found.map((row) => [row.number, row]));
    for (const blank of blanks) {
      const row = byNumber.get(file.blankNumber[blank] ?? '');
      if (!row) continue;
      errors.add(
        file.blankLine[blank] ?? 0,
        'blank_number',
        row.number,
        `бланк с этим номером уже есть в реестре: мероприятие ${row.eventCode}, комплект ${row.kitNumber}, позиция ${String(row.position)}`,
      );
    }
  }
  // past the report's length the rest are only counted
  errors.count += Math.max(0, misplaced.length - MAX_REPORTED_ERRORS);

  // positions of known kits already taken by another blank
  const inKnownKits = allBlanks.filter((blank) => (kitKnownSlots[file.blankKit[blank] ?? 0] ?? -1) >= 0 && blankKnown[blank] === 0);
  for await (const blanks of batches(inKnownKits)) {
    const found = await tx.$queryRawUnsafe<{ i: number; number: string }[]>(
      `SELECT f.i, b.number
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[]) AS f(kit_id, position, number, i)
         JOIN "Blank" b ON b."kitId" = f.kit_id AND b.position = f.position AND b.number <> f.number`,
      blanks.map((blank) => kitIds[file.blankKit[blank] ?? 0]),
      blanks.map((blank) => file.blankPosition[blank]),
      blanks.map((blank) => file.blankNumber[blank]),
      blanks,
    );
    for (const row of found) {
      const kit = file.blankKit[row.i] ?? 0;
      const position = file.blankPosition[row.i] ?? 0;
      errors.add(
        file.blankLine[row.i] ?? 0,
        'position',
        String(position),
        `позиция ${String(position)} комплекта ${String(file.kitNumber[kit])} уже занята в реестре бланком ${row.number}`,
      );
    }
  }

  if (errors.count > 0 || fileErrorCount > 0) return emptyCounts();

  // writes: regions on first use (as for users), then events, schools, kits and blanks
  const regionCodes = [...new Set([...file.schools.values()].map((s) => s.regionCode))];
  const regionsCreated = await tx.$executeRawUnsafe(
    `INSERT INTO "Region"(code, name) SELECT c, 'Регион ' || c FROM unnest($1::text[]) AS c ON CONFLICT (code) DO NOTHING`,
    regionCodes,
  );
  if (newEvents.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Event"(id, code, title, date) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[])`,
      newEvents.map((code) => eventIds.get(code)),
      newEvents,
      newEvents.map((code) => file.events.get(code)?.title),
      newEvents.map((code) => file.events.get(code)?.date),
    );
  }
  for await (const codes of batches(newSchools)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "School"(id, code, "regionCode") SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      codes.map((code) => schoolIds.get(code)),
      codes,
      codes.map((code) => file.schools.get(code)?.regionCode),
    );
  }

  const newKits: number[] = [];
  const grownKits: number[] = [];
  for (let kit = 0; kit < kitCount; kit += 1) {
    const known = kitKnownSlots[kit] ?? -1;
    if (known < 0) newKits.push(kit);
    // an import sets slots to the highest position it saw, so a known kit's slots already cover its blanks
    else if ((file.kitSlots[kit] ?? 0) > known) grownKits.push(kit);
  }
  for await (const kits of batches(newKits)) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Kit"(id, "eventId", "schoolId", number, slots) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[])`,
      kits.map((kit) => kitIds[kit]),
      kits.map((kit) => eventIds.get(file.kitEvent[kit] ?? '')),
      kits.map((kit) => schoolIds.get(file.kitSchool[kit] ?? '')),
      kits.map((kit) => file.kitNumber[kit]),
      kits.map((kit) => file.kitSlots[kit]),
    );
  }
  for await (const kits of batches(grownKits)) {
    await tx.$executeRawUnsafe(
      `UPDATE "Kit" k SET slots = f.slots FROM unnest($1::uuid[], $2::int[]) AS f(id, slots) WHERE k.id = f.id`,
      kits.map((kit) => kitIds[kit]),
      kits.map((kit) => file.kitSlots[kit]),
    );
  }

  const newBlanks: number[] = [];
  for (let blank = 0; blank < blankCount; blank += 1) if (blankKnown[blank] === 0) newBlanks.push(blank);
  for await (const blanks of batches(newBlanks)) {
    const kitOf = (blank: number) => file.blankKit[blank] ?? 0;
    const schoolOf = (blank: number) => file.kitSchool[kitOf(blank)] ?? '';
    await tx.$executeRawUnsafe(
      `INSERT INTO "Blank"(id, number, "kitId", position, "eventId", "schoolId", "regionCode")
       SELECT gen_random_uuid(), f.number, f.kit_id, f.position, f.event_id, f.school_id, f.region_code
         FROM unnest($1::text[], $2::uuid[], $3::int[], $4::uuid[], $5::uuid[], $6::text[]) AS f(number, kit_id, position, event_id, school_id, region_code)`,
      blanks.map((blank) => file.blankNumber[blank]),
      blanks.map((blank) => kitIds[kitOf(blank)]),
      blanks.map((blank) => file.blankPosition[blank]),
      blanks.map((blank) => eventIds.get(file.kitEvent[kitOf(blank)] ?? '')),
      blanks.map((blank) => schoolIds.get(schoolOf(blank))),
      blanks.map((blank) => file.schools.get(schoolOf(blank))?.regionCode),
    );
  }

  return {
    regions: { created: regionsCreated, unchanged: regionCodes.length - regionsCreated },
    events: { created: newEvents.length, unchanged: file.events.size - newEvents.length },
    schools: { created: newSchools.length, unchanged: file.schools.size - newSchools.length },
    kits: { created: newKits.length, updated: grownKits.length, unchanged: kitCount - newKits.length - grownKits.length },
    blanks: { created: newBlanks.length, unchanged: blankCount - newBlanks.length },
  };
}

function emptyCounts(): Counts {
  const none = { created: 0, unchanged: 0 };
  return { regions: none, events: none, schools: none, kits: { ...none, updated: 0 }, blanks: none };
}

/** Raised with a 422 problem whose `errors` list every bad row (the first MAX_REPORTED_ERRORS in line order). */
function rejection(errors: RowErrorsLike[]): AppError {
  const total = errors.reduce((sum, e) => sum + e.count, 0);
  const list = errors
    .flatMap((e) => e.list)
    .sort((a, b) => a.line - b.line)
    .slice(0, MAX_REPORTED_ERRORS);
  const detail =
    total > list.length
      ? `Ошибок в файле: ${String(total)}; показаны первые ${String(list.length)}. Реестр не изменён.`
      : `Ошибок в файле: ${String(total)}. Реестр не изменён.`;
  return new AppError('registry_invalid', { detail, fieldErrors: list });
}

type RowErrorsLike = { list: RegistryRowError[]; count: number };

export interface ImportRegistryOptions {
  filePath: string;
  /** as the person named it (the upload's file name, or the CLI argument's base name) */
  fileName: string;
  actor: { userId: string | null; ip?: string | null; via: 'api' | 'cli' };
}

/**
 * Imports a registry CSV (the API's POST /api/registry/import and `pnpm cli registry:import` both
 * call this). All or nothing: one bad row and the registry is left as it was, with a Russian
 * report of every bad row; the same file twice changes nothing the second time.
 */
export async function importRegistry(prisma: PrismaClient, options: ImportRegistryOptions): Promise<RegistryImportResponse> {
  const started = performance.now();
  const fileErrors = new RowErrors();
  const file = new RegistryFile(fileErrors);
  let info;
  try {
    info = await readRegistryCsv(options.filePath, fileErrors, (row) => file.add(row));
  } catch (error) {
    if (error instanceof RegistryFileError) throw rejection([{ list: [error.error], count: 1 }]);
    throw error;
  }
  if (info.rows === 0 && fileErrors.count === 0) {
    throw rejection([{ list: [{ path: 'rows.2', line: 2, column: '', value: '', message: 'в файле только заголовок: нет ни одной строки реестра' }], count: 1 }]);
  }

  const dbErrors = new RowErrors();
  let counts: Counts;
  try {
    counts = await prisma.$transaction(
      async (tx) => {
        const result = await applyToDatabase(tx, file, dbErrors, fileErrors.count);
        // a bad file is refused before anything is written; still, nothing of it may stay
        if (fileErrors.count > 0 || dbErrors.count > 0) throw rejection([fileErrors, dbErrors]);
        const summary = { fileName: options.fileName, rows: info.rows, encoding: info.encoding, delimiter: info.delimiter, ...result };
        await recordAudit(tx, {
          userId: options.actor.userId,
          action: 'registry.import',
          entityType: 'registry',
          entityId: info.sha256,
          after: { ...summary, via: options.actor.via },
          ip: options.actor.ip ?? null,
        });
        return result;
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', { detail: 'Реестр в это время изменил другой импорт. Загрузите файл ещё раз' });
    }
    throw error;
  }
  return {
    fileName: options.fileName,
    rows: info.rows,
    encoding: info.encoding,
    delimiter: info.delimiter,
    ...counts,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
