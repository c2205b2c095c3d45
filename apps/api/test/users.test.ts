import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, signIn, type TestContext } from './helpers.ts';

describe.each(databaseKinds())('user management on %s', (kind) => {
  let ctx: TestContext;
  let admin: string;
  let coord: string;
  beforeAll(async () => {
    ctx = await createTestApp(kind);
    await addUser(ctx, 'admin', 'admin', null);
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    admin = await signIn(ctx, 'admin');
    coord = await signIn(ctx, 'spo_coord_77');
  });
  afterAll(() => ctx.close());

  it('is for admins only', async () => {
    for (const [method, url] of [['GET', '/api/users'], ['POST', '/api/users']] as const) {
      const res = await ctx.app.inject({ method, url, headers: { cookie: coord }, payload: method === 'POST' ? { login: 'x_user', role: 'operator', regionCode: '77' } : undefined });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect(await ctx.db.prisma.user.count({ where: { login: 'x_user' } })).toBe(0);
  });

  it('creates a user with a generated password shown once, who can then sign in', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload: { login: 'Op_50_Petrova', role: 'operator', regionCode: '50', fullName: 'Петрова А. А.' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ login: 'op_50_petrova', role: 'operator', regionCode: '50', fullName: 'Петрова А. А.' });
    expect(body.generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const stored = await ctx.db.prisma.user.findUniqueOrThrow({ where: { login: 'op_50_petrova' } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    await signIn(ctx, 'op_50_petrova', body.generatedPassword);
    const list = (await ctx.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin } })).json().users as Array<{ login: string }>;
    expect(list.map((u) => u.login)).toContain('op_50_petrova');
    expect(JSON.stringify(list)).not.toContain('argon2');
  });

  it('enforces the role/region rule and unique logins', async () => {
    const post = (payload: object) => ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload });
    expect((await post({ login: 'coord_noregion', role: 'coordinator' })).json().code).toBe('region_required');
    expect((await post({ login: 'admin_region', role: 'admin', regionCode: '77' })).json().code).toBe('region_not_allowed');
    const dup = await post({ login: 'SPO_COORD_77', role: 'coordinator', regionCode: '77' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('login_taken');
  });

  it('disables a user (ending their sessions) and resets a password', async () => {
    const target = await addUser(ctx, 'op_77_sidorov', 'operator', '77');
    const session = await signIn(ctx, 'op_77_sidorov');
    const off = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${target.id}`, headers: { cookie: admin }, payload: { disabled: true } });
    expect(off.json().user.disabled).toBe(true);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    await ctx.app.inject({ method: 'PATCH', url: `/api/users/${target.id}`, headers: { cookie: admin }, payload: { disabled: false } });
    const reset = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${target.id}`, headers: { cookie: admin }, payload: { resetPassword: true } });
    const password = reset.json().generatedPassword as string;
    expect(password).toHaveLength(16);
    await signIn(ctx, 'op_77_sidorov', password);
    const audit = await ctx.db.prisma.auditLog.count({ where: { entityId: target.id, action: 'user.update' } });
    expect(audit).toBe(3);
  });

  it('does not let an admin disable themself', async () => {
    const me = (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } })).json().user;
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${me.id}`, headers: { cookie: admin }, payload: { disabled: true } });
    expect(res.statusCode).toBe(409);
  });

  it('answers 404 for an unknown user id and 400 for a malformed one', async () => {
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/users/00000000-0000-4000-8000-000000000000', headers: { cookie: admin }, payload: { disabled: true } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/users/not-a-uuid', headers: { cookie: admin }, payload: { disabled: true } })).statusCode).toBe(400);
  });
});
