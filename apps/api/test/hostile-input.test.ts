import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, PASSWORD, signIn, type TestContext } from './helpers.ts';

describe.each(databaseKinds())('hostile input on %s', (kind) => {
  let ctx: TestContext;
  let admin: string;
  beforeAll(async () => {
    ctx = await createTestApp(kind);
    await addUser(ctx, 'admin', 'admin', null);
    admin = await signIn(ctx, 'admin');
  });
  afterAll(() => ctx.close());

  it('answers NUL characters with 400, not a database error', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/auth/login', payload: { login: '\u0000', password: 'x' } },
      { method: 'POST' as const, url: '/api/auth/password-reset/request', payload: { login: 'a\u0000' } },
      { method: 'POST' as const, url: '/api/users', payload: { login: 'nul_user', role: 'operator', regionCode: '77', fullName: 'x\u0000y' }, headers: { cookie: admin } },
    ];
    for (const c of cases) {
      const res = await ctx.app.inject(c);
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  it('gives problem+json for malformed JSON, a malformed path escape, and a wrong content type', async () => {
    const badJson = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"login":' });
    const badPath = await ctx.app.inject({ method: 'GET', url: '/api/%zz' });
    const form = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=a&password=b' });
    for (const res of [badJson, badPath, form]) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('speaks Russian in validation messages and names the field', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 5, password: PASSWORD } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.errors[0].path).toBe('body.login');
    expect(body.errors[0].message).toMatch(/[а-яА-Я]/);
  });

  it('ends a session on a bare POST /api/auth/logout sent as JSON with no body', async () => {
    const cookie = await signIn(ctx, 'admin');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses unknown fields in a scan correction instead of ignoring them', async () => {
    const res = await ctx.app.inject({ method: 'PATCH', url: '/api/scans/00000000-0000-4000-8000-000000000000', headers: { cookie: admin }, payload: { fill: 'empty' } });
    expect(res.statusCode).toBe(400);
  });

  it('refuses a coordinator without a region at the database', async () => {
    await expect(ctx.db.prisma.user.create({ data: { login: 'no_region', role: 'coordinator' } })).rejects.toThrow();
    await expect(ctx.db.prisma.user.create({ data: { login: 'admin_region', role: 'admin', region: { connectOrCreate: { where: { code: '77' }, create: { code: '77', name: 'x' } } } } })).rejects.toThrow();
  });
});
