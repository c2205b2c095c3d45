import type { CompletenessKit, ProtocolEntryInput, ProtocolReconciliation, ProtocolResponse } from '@collector/contracts';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../errors.ts';
import type { Event, PrismaClient, School } from '../../generated/prisma/client.ts';
import type { Actor } from './review-scans.ts';
import { buildKitGrid } from './build-kit-grid.ts';
import { protocolDueAt, protocolState } from './protocol-due.ts';

/**
 * The protocol against the scans: present with every blank scanned; present with blanks missing (which); absent
 * yet scanned; scanned but not listed.
 */
export function reconcile(kits: CompletenessKit[], entries: ProtocolEntryInput[], submitted: boolean): ProtocolReconciliation {
  const present = new Map(entries.map((e) => [e.kitNumber, e.present]));
  const result: ProtocolReconciliation = { presentComplete: [], presentMissing: [], absentScanned: [], scannedNotInProtocol: [] };
  for (const kit of kits) {
    const scanned = kit.slots.some((s) => s.state !== 'missing');
    const missing = kit.slots.filter((s) => s.state === 'missing').map((s) => s.position);
    const mark = present.get(kit.kitNumber);
    if (mark === true) {
      if (missing.length === 0) result.presentComplete.push(kit.kitNumber);
      else result.presentMissing.push({ kitNumber: kit.kitNumber, missingPositions: missing });
    } else if (mark === false) {
      if (scanned) result.absentScanned.push(kit.kitNumber);
    } else if (submitted && scanned) {
      result.scannedNotInProtocol.push(kit.kitNumber);
    }
  }
  return result;
}

export async function readProtocol(prisma: PrismaClient, event: Event, school: School): Promise<ProtocolResponse> {
  const [protocol, grid] = await Promise.all([
    prisma.protocol.findUnique({
      where: { eventId_schoolId: { eventId: event.id, schoolId: school.id } },
      include: { submittedBy: { select: { login: true } }, entries: { include: { kit: { select: { number: true } } } } },
    }),
    buildKitGrid(prisma, event.id, school.id),
  ]);
  const dueAt = protocolDueAt(event.date);
  const entries = (protocol?.entries ?? []).map((e) => ({ kitNumber: e.kit.number, present: e.present })).sort((a, b) => a.kitNumber.localeCompare(b.kitNumber));
  return {
    eventCode: event.code,
    schoolCode: school.code,
    dueAt: dueAt.toISOString(),
    state: protocolState(dueAt, protocol?.submittedAt ?? null),
    submittedAt: protocol?.submittedAt.toISOString() ?? null,
    submittedBy: protocol?.submittedBy?.login ?? null,
    kitNumbers: grid.kits.map((k) => k.kitNumber),
    entries,
    reconciliation: reconcile(grid.kits, entries, protocol !== null),
  };
}

/**
 * Stores the protocol of an event × school, replacing an earlier version of it; every kit must be one of the school's
 * kits for the event. The first submission's time is the one judged against the due time; changes are audited.
 */
export async function submitProtocol(prisma: PrismaClient, actor: Actor, event: Event, school: School, entries: ProtocolEntryInput[]): Promise<void> {
  const seen = new Set<string>();
  const repeated = entries.filter((e) => (seen.has(e.kitNumber) ? true : (seen.add(e.kitNumber), false))).map((e) => e.kitNumber);
  if (repeated.length > 0) throw new AppError('validation_failed', { detail: `Комплект указан дважды: ${[...new Set(repeated)].join(', ')}` });
  const kits = await prisma.kit.findMany({ where: { eventId: event.id, schoolId: school.id, number: { in: [...seen] } }, select: { id: true, number: true } });
  const idOf = new Map(kits.map((k) => [k.number, k.id]));
  const unknown = [...seen].filter((n) => !idOf.has(n));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', { detail: `Комплектов нет в реестре точки проведения ${school.code} по мероприятию ${event.code}: ${unknown.slice(0, 20).join(', ')}` });
  }
  await prisma.$transaction(async (tx) => {
    const before = await tx.protocol.findUnique({ where: { eventId_schoolId: { eventId: event.id, schoolId: school.id } }, include: { entries: { include: { kit: true } } } });
    const protocol = before
      ? await tx.protocol.update({ where: { id: before.id }, data: { submittedById: actor.user.id } })
      : await tx.protocol.create({ data: { eventId: event.id, schoolId: school.id, submittedById: actor.user.id } });
    await tx.protocolEntry.deleteMany({ where: { protocolId: protocol.id } });
    await tx.protocolEntry.createMany({ data: entries.map((e) => ({ protocolId: protocol.id, kitId: idOf.get(e.kitNumber) ?? '', present: e.present })) });
    await tx.auditLog.create({
      data: {
        userId: actor.user.id,
        action: before ? 'protocol.update' : 'protocol.submit',
        entityType: 'protocol',
        entityId: protocol.id,
        regionCode: school.regionCode,
        ...(before ? { before: { entries: before.entries.map((e) => ({ kitNumber: e.kit.number, present: e.present })) } } : {}),
        after: { event: event.code, school: school.code, entries: entries.map((e) => ({ kitNumber: e.kitNumber, present: e.present })) },
        ip: actor.ip,
      },
    });
  });
}

const PRESENT = new Set(['1', 'да', 'yes', 'true', 'присутствовал', 'присутствует', '+', 'y', 'д']);
const ABSENT = new Set(['0', 'нет', 'no', 'false', 'отсутствовал', 'отсутствует', '-', 'n', 'н']);

/** The CSV form of a protocol: `kit_number,present` (or Russian headers «Номер комплекта;Присутствовал»). */
export function parseProtocolCsv(csv: string): ProtocolEntryInput[] {
  const text = csv.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new AppError('validation_failed', { detail: `CSV не прочитан: ${(error as Error).message}` });
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const kitColumn = header.findIndex((h) => h === 'kit_number' || h.startsWith('номер комплекта') || h === 'комплект');
  const presentColumn = header.findIndex((h) => h === 'present' || h.startsWith('присутств') || h === 'явка');
  if (kitColumn < 0 || presentColumn < 0) throw new AppError('validation_failed', { detail: 'В первой строке CSV нужны столбцы kit_number и present' });
  const entries: ProtocolEntryInput[] = [];
  const problems: string[] = [];
  records.slice(1).forEach((record, index) => {
    const line = index + 2;
    const kitNumber = record[kitColumn] ?? '';
    const mark = (record[presentColumn] ?? '').toLowerCase();
    if (!/^\d{1,16}$/.test(kitNumber)) problems.push(`строка ${line}: номер комплекта «${kitNumber}»`);
    else if (PRESENT.has(mark)) entries.push({ kitNumber, present: true });
    else if (ABSENT.has(mark)) entries.push({ kitNumber, present: false });
    else problems.push(`строка ${line}: отметка присутствия «${mark}» (ожидается 1 или 0, да или нет)`);
  });
  if (problems.length > 0) throw new AppError('validation_failed', { detail: `Ошибки в CSV: ${problems.slice(0, 20).join('; ')}` });
  if (entries.length === 0) throw new AppError('validation_failed', { detail: 'В CSV нет ни одного комплекта' });
  return entries;
}
