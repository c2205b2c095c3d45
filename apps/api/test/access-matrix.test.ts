import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient, User } from '../src/generated/prisma/client.ts';
import { newToken } from '../src/services/tokens.ts';
import { addUser, createTestApp, databaseKinds, type TestContext } from './helpers.ts';

/**
 * Access control tested from the OpenAPI document the app itself serves: every route and method, as anonymous, as
 * each role, against another region's objects, cross-site, and with methods the route does not have. A route added
 * later is in the document, so it is covered here without anyone remembering to add it.
 */

type Role = 'coordinator' | 'operator' | 'admin';
const ROLES: readonly Role[] = ['coordinator', 'operator', 'admin'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

interface Operation {
  method: Method;
  /** OpenAPI path, `{id}` style */
  path: string;
  public: boolean;
  roles: readonly Role[];
  hasBody: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Partial<Record<Lowercase<Method>, { security?: unknown[]; 'x-roles'?: Role[]; requestBody?: unknown }>>>;
}

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method.toLowerCase() as Lowercase<Method>];
      if (!op) continue;
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      ops.push({ method, path, public: isPublic, roles: isPublic ? ROLES : (op['x-roles'] ?? []), hasBody: op.requestBody !== undefined });
    }
  }
  return ops;
}

/** Routes hidden from the document (the tus protocol's own), with the access the uploads code gives them. */
const HIDDEN: Operation[] = [
  { method: 'POST', path: '/api/uploads/tus', public: false, roles: ['coordinator', 'admin'], hasBody: false },
  { method: 'PATCH', path: '/api/uploads/tus/{id}', public: false, roles: ['coordinator', 'admin'], hasBody: false },
  { method: 'DELETE', path: '/api/uploads/tus/{id}', public: false, roles: ['coordinator', 'admin'], hasBody: false },
];

/** One region's registry row, a receiving and a processed upload, two scans with images. */
async function seedRegion(ctx: TestContext, prisma: PrismaClient, regionCode: string, uploader: User) {
  const event = await prisma.event.upsert({ where: { code: 'VPR-MATRIX' }, create: { code: 'VPR-MATRIX', title: 'ВПР', date: new Date('2026-04-15') }, update: {} });
  const school = await prisma.school.create({ data: { code: `sch${regionCode}1933`, regionCode } });
  const kit = await prisma.kit.create({ data: { eventId: event.id, schoolId: school.id, number: `${regionCode}0001`, slots: 1 } });
  const blank = await prisma.blank.create({ data: { number: `200311924${regionCode}000001`.padEnd(17, '0'), kitId: kit.id, position: 1, eventId: event.id, schoolId: school.id, regionCode } });
  const upload = await prisma.upload.create({ data: { regionCode, uploadedById: uploader.id, fileName: `aud-${regionCode}.zip`, status: 'done', newScans: 1 } });
  const receiving = await prisma.upload.create({ data: { regionCode, uploadedById: uploader.id, fileName: `tus-${regionCode}.zip`, status: 'receiving', sizeBytes: 100n } });
  const scan = await prisma.scan.create({
    data: { uploadId: upload.id, regionCode, entryName: 'p1.jpg', sha256: `${regionCode}-1`, storageKey: `${upload.id}/1.jpg`, status: 'recognized', blankNumber: blank.number, blankId: blank.id },
  });
  await ctx.app.storage.write(scan.storageKey, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  return { event, school, kit, blank, upload, receiving, scan, user: uploader };
}
type Seeded = Awaited<ReturnType<typeof seedRegion>>;

/** Paths whose only parameters name national objects (an event is held in every region): answered per region, never refused. */
const NATIONAL_PARAMS = /^[^{]*\{event\}[^{]*$/;

/** A path with its parameters filled from a region's objects: the resource is named by the segment before it. */
function fill(path: string, region: Seeded): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string, offset: number) => {
    const before = path.slice(0, offset);
    if (name === 'id' || name.endsWith('Id')) {
      if (before.endsWith('/users/')) return region.user.id;
      if (before.endsWith('/uploads/tus/')) return region.receiving.id;
      if (before.endsWith('/uploads/')) return region.upload.id;
      if (before.endsWith('/scans/')) return region.scan.id;
      if (before.includes('/events')) return region.event.id;
      return randomUUID();
    }
    if (name.startsWith('event')) return region.event.code;
    if (name.startsWith('school')) return region.school.code;
    if (name.startsWith('kit')) return region.kit.number;
    if (name.startsWith('region')) return region.school.regionCode;
    return region.upload.id;
  });
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string, label: string): void {
  expect(res.statusCode, label).toBe(status);
  expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
  expect(res.json<{ code: string }>().code, label).toBe(code);
}

function expectEdgeHeaders(res: LightMyRequestResponse, label: string): void {
  expect(res.headers['x-content-type-options'], label).toBe('nosniff');
  const image = /\/image$/.test(label.split(' ')[1] ?? '') && res.statusCode === 200;
  expect(res.headers['cache-control'], label).toBe(image ? 'private, max-age=300' : 'no-store');
}

describe.each(databaseKinds())('access matrix from the OpenAPI document on %s', (kind) => {
  let ctx: TestContext;
  let ops: Operation[];
  let own: Seeded;
  let foreign: Seeded;
  const users = {} as Record<Role, User>;
  const counts = { routes: 0, requests: 0, cases: new Set<string>() };

  /** A fresh session for each request: a logout case must not end the session of the next one. */
  async function cookieOf(role: Role | 'anonymous'): Promise<Record<string, string>> {
    if (role === 'anonymous') return {};
    const { token, hash } = newToken();
    await ctx.db.prisma.session.create({ data: { id: hash, userId: users[role].id, expiresAt: new Date(Date.now() + 3600_000) } });
    return { cookie: `collector_session=${token}` };
  }

  async function call(op: Operation, path: string, role: Role | 'anonymous', caseName: string, headers: Record<string, string> = {}, method: string = op.method) {
    counts.requests += 1;
    counts.cases.add(caseName);
    const isTus = path.startsWith('/api/uploads/tus');
    const tusHeaders: Record<string, string> = isTus ? { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' } : {};
    return ctx.app.inject({
      method: method as 'GET',
      url: path,
      headers: { ...(await cookieOf(role)), ...tusHeaders, ...headers },
      ...(op.hasBody && method !== 'GET' ? { payload: {} } : {}),
    });
  }

  beforeAll(async () => {
    ctx = await createTestApp(kind);
    users.admin = await addUser(ctx, 'matrix_admin', 'admin', null);
    users.coordinator = await addUser(ctx, 'matrix_coord_77', 'coordinator', '77');
    users.operator = await addUser(ctx, 'matrix_op_77', 'operator', '77');
    const coord50 = await addUser(ctx, 'matrix_coord_50', 'coordinator', '50');
    own = await seedRegion(ctx, ctx.db.prisma, '77', users.coordinator);
    foreign = await seedRegion(ctx, ctx.db.prisma, '50', coord50);
    ops = [...operationsOf(ctx.app.swagger() as unknown as OpenApiDoc), ...HIDDEN];
    counts.routes = ops.length;
  });
  afterAll(async () => {
    console.info(`access matrix on ${kind}: ${counts.routes} routes × 4 callers (anonymous, coordinator, operator, admin) × ${counts.cases.size} cases = ${counts.requests} requests`);
    await ctx.close();
  });

  it('the document names every route’s access: public, or the roles it admits', () => {
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops) expect(op.public || op.roles.length > 0, `${op.method} ${op.path}`).toBe(true);
  });

  it('anonymous callers get 401 problem+json on every route that is not public, before anything else happens', async () => {
    for (const op of ops) {
      const label = `${op.method} ${op.path} anonymous`;
      const res = await call(op, fill(op.path, foreign), 'anonymous', 'anonymous');
      if (op.public) expect(res.statusCode, label).not.toBe(403);
      else expectProblem(res, 401, 'unauthenticated', label);
      expectEdgeHeaders(res, `${op.method} ${op.path}`);
    }
  });

  it('each role gets 403 problem+json on the routes whose roles leave it out', async () => {
    for (const op of ops) {
      for (const role of ROLES.filter((r) => !op.roles.includes(r))) {
        const res = await call(op, fill(op.path, foreign), role, 'role not admitted');
        expectProblem(res, 403, 'forbidden', `${op.method} ${op.path} ${role}`);
      }
    }
  });

  it('a coordinator or operator of region 77 never reaches region 50’s objects, nor sees them in a list', async () => {
    const secrets = [foreign.upload.id, foreign.receiving.id, foreign.scan.id, foreign.user.id, foreign.blank.number, foreign.school.code];
    // destructive methods last, so the reads see the objects as seeded
    const ordered = [...ops].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const op of ordered) {
      for (const role of (['coordinator', 'operator'] as const).filter((r) => op.roles.includes(r) && !op.public)) {
        const label = `${op.method} ${op.path} ${role}`;
        if (op.method === 'GET' && NATIONAL_PARAMS.test(op.path)) {
          // an event is national: every region reaches it, and sees only its own part of it (CSV, so it can be read)
          const path = `${fill(op.path, foreign)}${op.path.endsWith('/export') ? '?format=csv' : ''}`;
          const res = await call(op, path, role, 'a national object without another region’s part');
          expect(res.statusCode, label).toBe(200);
          for (const secret of secrets) expect(res.body, `${label} leaks ${secret}`).not.toContain(secret);
        } else if (op.path.includes('{')) {
          const res = await call(op, fill(op.path, foreign), role, 'another region’s object');
          expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
          expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
          expectEdgeHeaders(res, `${op.method} ${op.path}`);
        } else if (op.method === 'GET') {
          const res = await call(op, op.path, role, 'list without another region’s objects');
          expect(res.statusCode, label).toBe(200);
          for (const secret of secrets) expect(res.body, `${label} leaks ${secret}`).not.toContain(secret);
        }
      }
    }
  });

  it('the admitted roles reach their own region’s objects (the matrix is not passing by refusing everything)', async () => {
    for (const op of ops.filter((o) => o.method === 'GET' && !o.public && !o.path.startsWith('/api/uploads/tus'))) {
      for (const role of op.roles) {
        const res = await call(op, fill(op.path, own), role, 'own region');
        expect(res.statusCode, `${op.method} ${op.path} ${role}`).toBe(200);
        expectEdgeHeaders(res, `${op.method} ${op.path}`);
      }
    }
  });

  it('every state-changing route refuses a cross-site request with 403 problem+json, for every caller', async () => {
    for (const op of ops.filter((o) => o.method !== 'GET')) {
      for (const role of ['anonymous', ...ROLES] as const) {
        const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
        for (const headers of crossSite) {
          const res = await call(op, fill(op.path, own), role, 'cross-site', headers);
          expectProblem(res, 403, 'origin_not_allowed', `${op.method} ${op.path} ${role} ${JSON.stringify(headers)}`);
        }
      }
    }
    // nothing was changed by the refused requests
    expect(await ctx.db.prisma.scan.count({ where: { id: own.scan.id, deletedAt: null } })).toBe(1);
  });

  it('methods a path does not have are never answered 2xx, for the admin either', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const op of ops) byPath.set(op.path, (byPath.get(op.path) ?? new Set()).add(op.method));
    for (const [path, methods] of byPath) {
      if (path.startsWith('/api/uploads/tus')) continue;
      for (const method of METHODS.filter((m) => !methods.has(m))) {
        const op: Operation = { method, path, public: false, roles: [], hasBody: false };
        const res = await call(op, fill(path, own), 'admin', 'undocumented method', {}, method);
        expect(res.statusCode, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.headers['content-type'], `${method} ${path}`).toMatch(/^application\/problem\+json/);
      }
    }
  });
});
