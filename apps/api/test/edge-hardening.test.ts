import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdmin } from '../src/services/seed-admin.ts';
import { HEADER, importCsv } from './registry-support.ts';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';

const EVIL = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

/** A built web app in miniature: index.html and one hashed asset. */
async function fakeWebDist(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-web-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><html lang="ru"><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>');
  await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("ok");');
  return dir;
}

/** The raw answer to a request with a header larger than Node's 16 KB limit. */
async function oversizedHeaderAnswer(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(`GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`);
  });
}

describe.each(databaseKinds())('the edge on %s', (kind) => {
  let ctx: TestContext;
  let admin: string;
  let coord: string;
  let scanId: string;

  beforeAll(async () => {
    ctx = await createTestApp(kind, { WEB_DIST_DIR: await fakeWebDist() });
    await addUser(ctx, 'admin', 'admin', null);
    const coordinator = await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    admin = await signIn(ctx, 'admin');
    coord = await signIn(ctx, 'spo_coord_77');
    const upload = await ctx.db.prisma.upload.create({ data: { regionCode: '77', uploadedById: coordinator.id, fileName: 'aud.zip', status: 'done' } });
    const scan = await ctx.db.prisma.scan.create({
      data: { uploadId: upload.id, regionCode: '77', entryName: 'p1.jpg', sha256: 'x', storageKey: `${upload.id}/1.jpg`, status: 'unrecognized', reason: 'no_barcode' },
    });
    await ctx.app.storage.write(scan.storageKey, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    scanId = scan.id;
  });
  afterAll(() => ctx.close());

  describe('security headers', () => {
    it('serves the page, the API and the assets with CSP, nosniff, frame-ancestors, X-Frame-Options and no Referer', async () => {
      for (const url of ['/', '/api/users', '/assets/index-abc123.js', '/uploads']) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: admin } });
        expect(res.statusCode, url).toBe(200);
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        // PUBLIC_URL is http:// here
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('adds HSTS when PUBLIC_URL is https', async () => {
      const https = await createTestApp(kind, { PUBLIC_URL: 'https://collector.example.ru' });
      try {
        const res = await https.app.inject({ method: 'GET', url: '/api/health' });
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
        expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      } finally {
        await https.close();
      }
    });

    it('answers a missing asset with 404, not the SPA page', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/assets/x.js' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toContain('<!doctype html>');
    });
  });

  describe('no caching of personal data', () => {
    it('marks every API answer no-store, the scan image private', async () => {
      const answers = [
        await ctx.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin } }),
        await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } }),
        await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'spo_coord_77', password: 'correct-horse-battery' } }),
        await ctx.app.inject({ method: 'GET', url: `/api/scans/${scanId}`, headers: { cookie: coord } }),
        await ctx.app.inject({ method: 'GET', url: '/api/auth/me' }),
        await ctx.app.inject({ method: 'GET', url: '/api/no-such-route' }),
      ];
      for (const [i, res] of answers.entries()) expect(res.headers['cache-control'], String(i)).toBe('no-store');
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 401, 404]);
      const image = await ctx.app.inject({ method: 'GET', url: `/api/scans/${scanId}/image`, headers: { cookie: coord } });
      expect(image.statusCode).toBe(200);
      expect(image.headers['cache-control']).toBe('private, max-age=300');
    });

    it('marks the hijacked tus answers no-store and nosniff too', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/uploads/tus',
        headers: { cookie: coord, 'tus-resumable': '1.0.0', 'upload-length': '100', 'upload-metadata': `filename ${Buffer.from('a.zip').toString('base64')}`, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('Origin check', () => {
    it('refuses a cross-site user creation and a text/plain cross-site sign-out with problem+json 403', async () => {
      const create = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin, ...EVIL }, payload: { login: 'evil_77', role: 'coordinator', regionCode: '77' } });
      expect(create.statusCode).toBe(403);
      expect(create.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(create.json()).toMatchObject({ code: 'origin_not_allowed', status: 403 });
      expect(await ctx.db.prisma.user.count({ where: { login: 'evil_77' } })).toBe(0);

      const logout = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: admin, 'content-type': 'text/plain', ...EVIL }, payload: 'x' });
      expect(logout.statusCode).toBe(403);
      expect(logout.json().code).toBe('origin_not_allowed');
      expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } })).statusCode).toBe(200);
    });

    it('refuses a foreign Origin alone, a sibling host (same-site) and Origin null', async () => {
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { origin: 'http://127.0.0.1:8081' }]) {
        const res = await ctx.app.inject({ method: 'PATCH', url: `/api/scans/${scanId}`, headers: { cookie: coord, ...headers }, payload: { rotation: 90 } });
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json().code).toBe('origin_not_allowed');
      }
    });

    it('lets our own pages (PUBLIC_URL or the Host they reached) and scripts without Origin through', async () => {
      const same = [
        { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' },
        { origin: 'http://collector.local:3000', host: 'collector.local:3000' },
        {},
      ];
      for (const headers of same) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { login: 'spo_coord_77', password: 'correct-horse-battery' } });
        expect(res.statusCode, JSON.stringify(headers)).toBe(200);
      }
      // reading is never refused
      expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: coord, ...EVIL } })).statusCode).toBe(200);
    });
  });

  describe('passwords and regions', () => {
    it('refuses trivial passwords for a new user with the Russian reason', async () => {
      for (const password of ['          ', '1234567890', 'aaaaaaaaaa']) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload: { login: 'weak_77', password, role: 'operator', regionCode: '77' } });
        expect(res.statusCode, password).toBe(400);
        expect(['weak_password', 'validation_failed']).toContain(res.json().code);
        expect(res.json().errors[0]).toMatchObject({ path: expect.stringContaining('password'), message: expect.stringMatching(/^Пароль/) });
      }
      const reset = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${(await ctx.db.prisma.user.findUniqueOrThrow({ where: { login: 'spo_coord_77' } })).id}`, headers: { cookie: admin }, payload: { resetPassword: '1234567890' } });
      expect(reset.json().code).toBe('weak_password');
    });

    it('refuses a weak ADMIN_PASSWORD when seeding the first admin', async () => {
      const fresh = await createTestApp(kind);
      try {
        await expect(seedAdmin(fresh.db.prisma, { adminLogin: 'admin', adminPassword: '1234567890' })).rejects.toThrow(/ADMIN_PASSWORD is too easy to guess: Пароль/);
        expect(await seedAdmin(fresh.db.prisma, { adminLogin: 'admin', adminPassword: 'сосна-пуговица-ливень' })).toMatchObject({ login: 'admin' });
      } finally {
        await fresh.close();
      }
    });

    it('has the ФИС ОКО regions with Russian names; refuses region 999 until an admin adds it', async () => {
      expect(await ctx.db.prisma.region.findUnique({ where: { code: '77' } })).toMatchObject({ name: 'Москва' });
      expect(await ctx.db.prisma.region.findUnique({ where: { code: '50' } })).toMatchObject({ name: 'Московская область' });
      expect(await ctx.db.prisma.region.count()).toBeGreaterThanOrEqual(89);
      const create = () => ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload: { login: 'coord_999', role: 'coordinator', regionCode: '999' } });
      const refused = await create();
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'region_unknown', detail: 'Региона с кодом 999 нет в справочнике регионов' });

      const csv = `${HEADER}\r\nVPR-1,ВПР,2026-04-15,999,sch9991,100001,1,20031192413000001\r\n`;
      const registry = await importCsv(ctx.app, admin, csv);
      expect(registry.statusCode).toBe(422);
      expect(registry.json().errors[0]).toMatchObject({ line: 2, column: 'region_code', value: '999' });

      const coordinatorAdds = await ctx.app.inject({ method: 'POST', url: '/api/regions', headers: { cookie: coord }, payload: { code: '999', name: 'Тестовый регион' } });
      expect(coordinatorAdds.statusCode).toBe(403);
      const added = await ctx.app.inject({ method: 'POST', url: '/api/regions', headers: { cookie: admin }, payload: { code: '999', name: 'Тестовый регион' } });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toEqual({ region: { code: '999', name: 'Тестовый регион' } });
      expect((await ctx.app.inject({ method: 'POST', url: '/api/regions', headers: { cookie: admin }, payload: { code: '999', name: 'Ещё раз' } })).json().code).toBe('region_exists');
      expect((await create()).statusCode).toBe(201);
    });
  });

  describe('framework answers', () => {
    it('tells anonymous callers of /api/health only the status', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.json()).toEqual({ status: 'ok' });
      expect((await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { cookie: admin } })).json()).toMatchObject({ status: 'ok', database: kind, version: expect.any(String) });
    });

    it('answers oversized headers with a problem+json 431', async () => {
      const server = await createTestApp(kind);
      try {
        await server.app.listen({ port: 0, host: '127.0.0.1' });
        const address = server.app.server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        const answer = await oversizedHeaderAnswer(port);
        expect(answer).toMatch(/^HTTP\/1\.1 431 /);
        expect(answer).toMatch(/content-type: application\/problem\+json/i);
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; status: number };
        expect(body).toMatchObject({ code: 'headers_too_large', status: 431 });
      } finally {
        await server.close();
      }
    });

    it('answers an unsupported media type and a bad JSON body as problem+json', async () => {
      for (const [type, payload] of [['application/xml', '<a/>'], ['application/json', '{bad']] as const) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': type }, payload });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });
});
