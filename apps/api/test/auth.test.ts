import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/services/tokens.ts';
import { addUser, createTestApp, databaseKinds, PASSWORD, sessionCookie, signIn, type TestContext } from './helpers.ts';

describe.each(databaseKinds())('sign-in and sessions on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp(kind);
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await addUser(ctx, 'locked_77', 'coordinator', '77');
    await ctx.db.prisma.user.update({ where: { login: 'locked_77' }, data: { disabled: true } });
  });
  afterAll(() => ctx.close());

  it('signs in with the right password, sets an httpOnly SameSite=Strict cookie and answers /me', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'SPO_COORD_77', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ login: 'spo_coord_77', role: 'coordinator', regionCode: '77' });
    const cookie = res.cookies.find((c) => c.name === 'collector_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sessionCookie(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.login).toBe('spo_coord_77');
    // the stored session id is a hash, not the cookie value
    const stored = await ctx.db.prisma.session.findMany({ where: { user: { login: 'spo_coord_77' } } });
    expect(stored.map((s) => s.id)).not.toContain(cookie?.value);
    expect(stored.map((s) => s.id)).toContain(hashToken(cookie?.value ?? ''));
  });

  it('answers a wrong password and an unknown login the same way: 401 problem+json', async () => {
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'spo_coord_77', password: 'nope-nope-nope' } });
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody_here', password: 'nope-nope-nope' } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 401, code: 'invalid_credentials', title: 'Неверный логин или пароль' });
      expect(res.cookies.find((c) => c.name === 'collector_session')).toBeUndefined();
    }
    const strip = (body: string) => body.replace(/"instance":"[^"]*"/, '');
    expect(strip(wrong.body)).toBe(strip(unknown.body));
  });

  it('refuses a disabled account even with the right password', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'locked_77', password: PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('account_disabled');
  });

  it('rejects a malformed body with 400 validation_failed', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('answers the 11th failed attempt within a minute with 429 and Retry-After, also for the right password from an address the login never used', async () => {
    await addUser(ctx, 'target_50', 'coordinator', '50');
    const attempt = (password: string, remoteAddress = '10.9.9.9') =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'target_50', password }, remoteAddress });
    for (let i = 0; i < 10; i++) expect((await attempt(`bad-password-${i}`)).statusCode).toBe(401);
    const eleventh = await attempt('bad-password-x');
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().code).toBe('too_many_attempts');
    expect(eleventh.json().detail).toMatch(/Повторите через \d+ с\./);
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(eleventh.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await attempt(PASSWORD)).statusCode).toBe(429);
    expect((await attempt(PASSWORD, '10.7.7.7')).statusCode).toBe(429);
  });

  it('lets the owner in from an address they signed in from before while the login is locked elsewhere', async () => {
    await addUser(ctx, 'owner_50', 'coordinator', '50');
    const attempt = (password: string, remoteAddress: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'owner_50', password }, remoteAddress });
    // the owner's usual office
    expect((await attempt(PASSWORD, '10.1.1.1')).statusCode).toBe(200);
    // an attacker elsewhere uses up the login's allowance
    for (let i = 0; i < 10; i++) expect((await attempt(`guess-${i}`, '10.6.6.6')).statusCode).toBe(401);
    expect((await attempt('guess-x', '10.6.6.6')).statusCode).toBe(429);
    expect((await attempt(PASSWORD, '10.6.6.6')).statusCode).toBe(429);
    // the owner is not locked out at their own address …
    expect((await attempt(PASSWORD, '10.1.1.1')).statusCode).toBe(200);
    // … where guessing is limited on its own counter
    for (let i = 0; i < 10; i++) expect((await attempt(`typo-${i}`, '10.1.1.1')).statusCode).toBe(401);
    expect((await attempt(PASSWORD, '10.1.1.1')).statusCode).toBe(429);
  });

  it('limits one address across many logins (50 failures), not other addresses', async () => {
    const attempt = (login: string, remoteAddress: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: 'sprayed-password-1' }, remoteAddress });
    const sprayed = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(`sprayed_${i}`, '10.3.3.3')));
    expect(sprayed.every((r) => r.statusCode === 401)).toBe(true);
    const next = await attempt('sprayed_fresh', '10.3.3.3');
    expect(next.statusCode).toBe(429);
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('sprayed_fresh', '10.3.3.4')).statusCode).toBe(401);
  });

  it('counts only failures: the owner signing in again and again is never limited', async () => {
    await addUser(ctx, 'busy_50', 'coordinator', '50');
    for (let i = 0; i < 14; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'busy_50', password: PASSWORD }, remoteAddress: '10.5.5.5' });
      expect(res.statusCode).toBe(200);
    }
  });

  it('holds the limit against a burst of parallel wrong passwords', async () => {
    await addUser(ctx, 'burst_50', 'coordinator', '50');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'burst_50', password: `wrong-${i}` }, remoteAddress: '10.8.8.8' }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('gives a new session id at every sign-in and kills the session on sign-out', async () => {
    const first = await signIn(ctx, 'spo_coord_77');
    const second = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'spo_coord_77', password: PASSWORD }, headers: { cookie: first } });
    const secondCookie = sessionCookie(second);
    expect(secondCookie).not.toBe(first);
    // the session presented at sign-in was replaced, not kept
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);

    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: secondCookie } });
    expect(out.statusCode).toBe(204);
    const after = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: secondCookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
    expect(await ctx.db.prisma.session.count({ where: { id: hashToken(secondCookie.split('=')[1] ?? '') } })).toBe(0);
  });

  it('expires sessions on the server', async () => {
    const cookie = await signIn(ctx, 'spo_coord_77');
    await ctx.db.prisma.session.update({ where: { id: hashToken(cookie.split('=')[1] ?? '') }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('denies every API route without a session; unknown API paths are problem+json 404s', async () => {
    for (const url of ['/api/auth/me', '/api/users', '/api/uploads']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
    }
    const unknown = await ctx.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    // anonymous callers learn only that it is alive; signed-in users what it runs on
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
    const cookie = await signIn(ctx, 'spo_coord_77');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { cookie } })).json()).toMatchObject({ status: 'ok', database: kind });
  });
});

describe.each(databaseKinds())('«Забыли пароль?» on %s', (kind) => {
  let ctx: TestContext;
  let users = 0;
  beforeAll(async () => {
    ctx = await createTestApp(kind);
  });
  afterAll(() => ctx.close());

  /** A new operator with an e-mail address, so each test has its own reset allowance. */
  async function newOperator(): Promise<string> {
    const login = `op_77_reset_${++users}`;
    const user = await addUser(ctx, login, 'operator', '77');
    await ctx.db.prisma.user.update({ where: { id: user.id }, data: { email: `${login}@example.org` } });
    return login;
  }

  async function outboxFiles(): Promise<string[]> {
    return (await readdir(ctx.config.mail.outboxDir).catch(() => [] as string[])).sort();
  }

  /** Asks for a link and reads it from the outbox, where mail goes when no SMTP server is set. */
  async function requestLink(login: string): Promise<string> {
    const before = new Set(await outboxFiles());
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { login } });
    expect(res.statusCode).toBe(202);
    let fresh: string | undefined;
    for (let i = 0; i < 100 && !fresh; i++) {
      fresh = (await outboxFiles()).find((f) => !before.has(f));
      if (!fresh) await new Promise((r) => setTimeout(r, 50));
    }
    if (!fresh) throw new Error('no mail reached the outbox');
    const mail = await readFile(path.join(ctx.config.mail.outboxDir, fresh), 'utf8');
    expect(mail).toContain(`To: ${login}@example.org`);
    const [, body = ''] = mail.split('\n\n');
    const text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(text).toContain('Ссылка действует 1 час');
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!token) throw new Error(`no reset link in the mail:\n${text}`);
    return token;
  }

  const confirm = (token: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password } });

  it('answers an unknown login exactly like a known one and sends nothing', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { login: 'no_such_login' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(await ctx.db.prisma.passwordResetToken.count({ where: { user: { login: 'no_such_login' } } })).toBe(0);
  });

  it('sets a new password with the link once; the link does not work twice; old sessions end', async () => {
    const login = await newOperator();
    const oldSession = await signIn(ctx, login);
    const token = await requestLink(login);
    // stored hashed only
    expect(await ctx.db.prisma.passwordResetToken.count({ where: { tokenHash: token } })).toBe(0);
    expect(await ctx.db.prisma.passwordResetToken.count({ where: { tokenHash: hashToken(token) } })).toBe(1);

    expect((await confirm(token, 'a-brand-new-password')).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: oldSession } })).statusCode).toBe(401);
    await signIn(ctx, login, 'a-brand-new-password');
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password: PASSWORD } })).statusCode).toBe(401);

    const again = await confirm(token, 'yet-another-password');
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('reset_token_invalid');
  });

  it('does not accept a link after an hour, and links are issued for one hour', async () => {
    const login = await newOperator();
    const before = Date.now();
    const token = await requestLink(login);
    const row = await ctx.db.prisma.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    const ttl = row.expiresAt.getTime() - before;
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000 + 5_000);
    await ctx.db.prisma.passwordResetToken.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const res = await confirm(token, 'too-late-password');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('reset_token_invalid');
  });

  it('keeps only the newest link working', async () => {
    const login = await newOperator();
    const first = await requestLink(login);
    const second = await requestLink(login);
    expect((await confirm(first, 'from-the-first-link')).json().code).toBe('reset_token_invalid');
    expect((await confirm(second, 'from-the-second-link')).statusCode).toBe(200);
  });

  it('rejects a short new password', async () => {
    const login = await newOperator();
    const token = await requestLink(login);
    const res = await confirm(token, 'short');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('refuses a guessable new password with the Russian reason and keeps the link usable', async () => {
    const login = await newOperator();
    const token = await requestLink(login);
    for (const weak of ['          ', '1234567890', 'aaaaaaaaaa', 'qwertyuiop', 'gfhjkm12345', `${login}!`]) {
      const res = await confirm(token, weak);
      expect(res.statusCode, weak).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(['weak_password', 'validation_failed']).toContain(res.json().code);
      expect(res.json().errors[0].message).toMatch(/[а-яё]/i);
    }
    const weak = await confirm(token, '1234567890');
    expect(weak.json()).toMatchObject({ code: 'weak_password', detail: expect.stringMatching(/^Пароль слишком легко подобрать\./) });
    expect(weak.json().errors).toEqual([{ path: 'body.password', message: weak.json().detail }]);
    expect((await confirm(token, 'сосна-пуговица-ливень')).statusCode).toBe(200);
  });

  it('sends at most three links per login in a quarter of an hour, answering alike', async () => {
    const login = await newOperator();
    for (let i = 0; i < 3; i++) await requestLink(login);
    const before = (await outboxFiles()).length;
    const fourth = await ctx.app.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { login } });
    expect(fourth.statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect((await outboxFiles()).length).toBe(before);
  });
});

/** Sends one raw HTTP/1.1 request, so the request line is exactly what an attacker would write. */
async function rawRequest(port: number, requestLine: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; text: string }> {
  const lines = [requestLine, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

describe('access checks on a listening server', () => {
  let ctx: TestContext;
  let port: number;
  beforeAll(async () => {
    ctx = await createTestApp('pglite');
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const address = ctx.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => ctx.close());

  it('cannot be bypassed with an encoded path or an absolute URL in the request line', async () => {
    for (const line of ['GET /%61pi/users HTTP/1.1', `GET http://127.0.0.1:${port}/api/users HTTP/1.1`, 'GET /api/%75sers HTTP/1.1']) {
      const res = await rawRequest(port, line);
      expect(res.status, line).toBe(401);
      expect(res.text).not.toContain('spo_coord_77');
    }
    const cookie = await signIn(ctx, 'spo_coord_77');
    const body = JSON.stringify({ login: 'evil_admin', password: 'Evil-pass-1234', role: 'admin' });
    for (const line of ['POST /%61pi/users HTTP/1.1', `POST http://127.0.0.1:${port}/api/users HTTP/1.1`]) {
      const res = await rawRequest(port, line, { cookie, 'content-type': 'application/json' }, body);
      expect(res.status, line).toBe(403);
    }
    expect(await ctx.db.prisma.user.count({ where: { login: 'evil_admin' } })).toBe(0);
  });
});
