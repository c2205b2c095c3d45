import {
  CompletenessEventsQuerySchema,
  CompletenessEventsResponseSchema,
  DuplicateListResponseSchema,
  EmptyScanListResponseSchema,
  EventCodeParamsSchema,
  FillReviewRequestSchema,
  FillReviewResponseSchema,
  ImportProtocolRequestSchema,
  KeepDuplicateRequestSchema,
  KeepDuplicateResponseSchema,
  KitExportQuerySchema,
  KitListQuerySchema,
  KitListResponseSchema,
  ProblemSchema,
  ProtocolResponseSchema,
  SchoolCodeParamsSchema,
  SchoolEventQuerySchema,
  SchoolListExportQuerySchema,
  SchoolListQuerySchema,
  SchoolListResponseSchema,
  SubmitProtocolRequestSchema,
} from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Event, User } from '../../generated/prisma/client.ts';
import { currentUser } from '../../plugins/app/auth.ts';
import { buildKitGrid, filterKits } from '../../services/completeness/build-kit-grid.ts';
import { countSchools } from '../../services/completeness/count-schools.ts';
import { attachment, EXPORT_TYPES, kitTable, renderTable, schoolTable } from '../../services/completeness/export-tables.ts';
import { findEvent, findSchoolEvent } from '../../services/completeness/find-school-event.ts';
import { listEvents } from '../../services/completeness/list-events.ts';
import { isoDate, protocolDueAt } from '../../services/completeness/protocol-due.ts';
import { parseProtocolCsv, readProtocol, submitProtocol } from '../../services/completeness/protocols.ts';
import { keepDuplicate, listDuplicates, listEmptyScans, reviewFill } from '../../services/completeness/review-scans.ts';
import { regionScope } from '../../services/region-scope.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
/** The file itself (XLSX or CSV); a Buffer is sent as it is, past the serializer. */
const FILE_RESPONSE = { 200: z.unknown().describe('XLSX or CSV file'), ...errors };
const PROTOCOL_ROLES = { roles: ['coordinator', 'admin'] as const };

/** The regions a request looks at: a coordinator or operator always their own; an admin all, or the one asked for. */
function regionOf(user: User, asked: string | undefined): string | undefined {
  return regionScope(user).regionCode ?? asked;
}

function eventHeader(event: Event) {
  return { code: event.code, title: event.title, date: isoDate(event.date), protocolDueAt: protocolDueAt(event.date).toISOString() };
}

const completenessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['completeness'],
        summary: '«Проверка комплектности»: events with scans, with their counts (admin: `region` narrows)',
        querystring: CompletenessEventsQuerySchema,
        response: { 200: CompletenessEventsResponseSchema, ...errors },
      },
    },
    async (request) => ({ events: await listEvents(app.prisma, regionOf(currentUser(request), request.query.region)) }),
  );

  app.get(
    '/events/:event/schools',
    {
      schema: {
        tags: ['completeness'],
        summary: 'An event’s schools: «Точка проведения: … Сканов всего: …, правильно заполненных: …, с дублями: …, пустых: …»; sortable, searchable',
        params: EventCodeParamsSchema,
        querystring: SchoolListQuerySchema,
        response: { 200: SchoolListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const event = await findEvent(app.prisma, request.params.event);
      const { region, ...query } = request.query;
      const { matched, rows } = await countSchools(app.prisma, {
        ...query,
        eventId: event.id,
        protocolDueAt: protocolDueAt(event.date),
        regionCode: regionOf(currentUser(request), region),
      });
      return { event: eventHeader(event), matched, schools: rows };
    },
  );

  app.get(
    '/events/:event/export',
    {
      schema: {
        tags: ['completeness'],
        summary: 'The school list as XLSX or CSV (Russian headers), with the list’s search and filters',
        params: EventCodeParamsSchema,
        querystring: SchoolListExportQuerySchema,
        response: FILE_RESPONSE,
      },
    },
    async (request, reply) => {
      const event = await findEvent(app.prisma, request.params.event);
      const { region, format, ...query } = request.query;
      const regionCode = regionOf(currentUser(request), region);
      const { rows } = await countSchools(app.prisma, { ...query, eventId: event.id, protocolDueAt: protocolDueAt(event.date), regionCode, limit: 100_000 });
      const table = schoolTable(`${event.title} (${event.code}), ${isoDate(event.date)}${regionCode ? `, регион ${regionCode}` : ''}`, rows);
      const name = `komplektnost-${event.code}${regionCode ? `-${regionCode}` : ''}.${format}`;
      return reply.type(EXPORT_TYPES[format]).header('content-disposition', attachment(name)).send(await renderTable(table, format));
    },
  );

  app.get(
    '/schools/:school/kits',
    {
      schema: {
        tags: ['completeness'],
        summary: 'A school’s kits × blanks grid for an event (default: its latest); filter «Все» / «Правильно заполненные» / «Пустые»',
        params: SchoolCodeParamsSchema,
        querystring: KitListQuerySchema,
        response: { 200: KitListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(user), request.params.school, request.query.event);
      const dueAt = protocolDueAt(event.date);
      const [{ rows }, grid] = await Promise.all([
        countSchools(app.prisma, { eventId: event.id, protocolDueAt: dueAt, schoolId: school.id }),
        buildKitGrid(app.prisma, event.id, school.id),
      ]);
      const row = rows[0];
      if (!row) throw new AppError('not_found');
      return { event: eventHeader(event), school: row, positions: grid.positions, filter: request.query.filter, kits: filterKits(grid.kits, request.query.filter) };
    },
  );

  app.get(
    '/schools/:school/export',
    {
      schema: {
        tags: ['completeness'],
        summary: 'A school’s kit grid as XLSX or CSV (Russian headers; «-» where no blank arrived)',
        params: SchoolCodeParamsSchema,
        querystring: KitExportQuerySchema,
        response: FILE_RESPONSE,
      },
    },
    async (request, reply) => {
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(currentUser(request)), request.params.school, request.query.event);
      const grid = await buildKitGrid(app.prisma, event.id, school.id);
      const { format, filter } = request.query;
      const table = kitTable(`Точка проведения: ${school.code}, ${event.title} (${event.code})`, grid.positions, filterKits(grid.kits, filter));
      const name = `komplekty-${event.code}-${school.code}.${format}`;
      return reply.type(EXPORT_TYPES[format]).header('content-disposition', attachment(name)).send(await renderTable(table, format));
    },
  );

  app.get(
    '/schools/:school/duplicates',
    {
      schema: {
        tags: ['completeness'],
        summary: '«С дублями»: the school’s blanks with more than one live scan, their scans side by side',
        params: SchoolCodeParamsSchema,
        querystring: SchoolEventQuerySchema,
        response: { 200: DuplicateListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(currentUser(request)), request.params.school, request.query.event);
      return { eventCode: event.code, schoolCode: school.code, groups: await listDuplicates(app.prisma, event.id, school.id) };
    },
  );

  app.post(
    '/schools/:school/duplicates/keep',
    {
      schema: {
        tags: ['completeness'],
        summary: 'Keep one scan of a duplicated blank; its other live scans are removed (audited)',
        params: SchoolCodeParamsSchema,
        body: KeepDuplicateRequestSchema,
        response: { 200: KeepDuplicateResponseSchema, ...errors, 409: ProblemSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const school = await app.prisma.school.findFirst({ where: { code: request.params.school, ...regionScope(user) } });
      if (!school) throw new AppError('not_found');
      return keepDuplicate(app.prisma, { user, ip: request.ip }, school.id, request.body.scanId);
    },
  );

  app.get(
    '/schools/:school/empty',
    {
      schema: {
        tags: ['completeness'],
        summary: '«Пустые»: the school’s scans counted empty, the most ink first, for review',
        params: SchoolCodeParamsSchema,
        querystring: SchoolEventQuerySchema,
        response: { 200: EmptyScanListResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(currentUser(request)), request.params.school, request.query.event);
      return { eventCode: event.code, schoolCode: school.code, scans: await listEmptyScans(app.prisma, event.id, school.id) };
    },
  );

  app.post(
    '/fill-reviews',
    {
      schema: {
        tags: ['completeness'],
        summary: 'A person’s verdict on scans’ fill: confirm «Пустые» in bulk, or mark a scan filled (kept, audited, counted)',
        body: FillReviewRequestSchema,
        response: { 200: FillReviewResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return { updated: await reviewFill(app.prisma, { user, ip: request.ip }, request.body.scanIds, request.body.fill) };
    },
  );

  app.get(
    '/schools/:school/protocol',
    {
      schema: {
        tags: ['completeness'],
        summary: '«Протокол проведения» of an event × school, its due time and state, reconciled with the scans',
        params: SchoolCodeParamsSchema,
        querystring: SchoolEventQuerySchema,
        response: { 200: ProtocolResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(currentUser(request)), request.params.school, request.query.event);
      return readProtocol(app.prisma, event, school);
    },
  );

  app.post(
    '/schools/:school/protocol',
    {
      config: PROTOCOL_ROLES,
      schema: {
        tags: ['completeness'],
        summary: 'Submit (or correct) the protocol: which kits were handed out and whether each participant was present',
        params: SchoolCodeParamsSchema,
        body: SubmitProtocolRequestSchema,
        response: { 200: ProtocolResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(user), request.params.school, request.body.event);
      await submitProtocol(app.prisma, { user, ip: request.ip }, event, school, request.body.entries);
      return readProtocol(app.prisma, event, school);
    },
  );

  app.post(
    '/schools/:school/protocol/import',
    {
      config: PROTOCOL_ROLES,
      schema: {
        tags: ['completeness'],
        summary: 'Submit the protocol from CSV text: `kit_number,present` (1/0, да/нет)',
        params: SchoolCodeParamsSchema,
        body: ImportProtocolRequestSchema,
        response: { 200: ProtocolResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { school, event } = await findSchoolEvent(app.prisma, regionScope(user), request.params.school, request.body.event);
      await submitProtocol(app.prisma, { user, ip: request.ip }, event, school, parseProtocolCsv(request.body.csv));
      return readProtocol(app.prisma, event, school);
    },
  );
};

export default completenessRoutes;
