import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, databaseKinds, sessionCookie, type TestContext } from './helpers.ts';

const PUBLIC_URL = 'http://127.0.0.1:8080';

/** A real OpenID Connect provider on a local port, with its development login and consent pages. */
async function startProvider(): Promise<{ issuer: string; server: Server }> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'collector',
        client_secret: 'collector-test-secret',
        redirect_uris: [`${PUBLIC_URL}/api/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, preferred_username: id, name: id }) }),
    features: { devInteractions: { enabled: true } },
  });
  handler = provider.callback();
  return { issuer, server };
}

/** Plays the browser on the provider's pages: follows redirects, keeps cookies, submits the forms. */
async function signInAtProvider(authorizeUrl: string, accountId: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(PUBLIC_URL)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
  }
  throw new Error('the provider never redirected back');
}

describe.each(databaseKinds())('«Войти с учетной записью ФИС ОКО» on %s', (kind) => {
  let ctx: TestContext;
  let provider: { issuer: string; server: Server };

  beforeAll(async () => {
    provider = await startProvider();
    ctx = await createTestApp(kind, {
      PUBLIC_URL,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: 'collector',
      OIDC_CLIENT_SECRET: 'collector-test-secret',
    });
    await addUser(ctx, 'spo_coord_77', 'coordinator', '77');
  });
  afterAll(async () => {
    await ctx.close();
    provider.server.closeAllConnections();
    await new Promise((resolve) => provider.server.close(resolve));
  });

  async function start() {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(res.statusCode).toBe(302);
    const location = res.headers.location as string;
    expect(location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    const params = new URL(location).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/auth/oidc/callback`);
    const cookie = res.cookies.find((c) => c.name === 'collector_oidc');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    return { location, cookie: `collector_oidc=${cookie?.value}` };
  }

  it('offers the button only when configured', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/auth/config' });
    expect(res.json()).toEqual({ oidc: { enabled: true, label: 'Войти с учетной записью ФИС ОКО' } });
  });

  it('signs a registered user in end-to-end through the provider', async () => {
    const { location, cookie } = await start();
    const back = await signInAtProvider(location, 'spo_coord_77');
    expect(back.searchParams.get('code')).toBeTruthy();
    const callback = await ctx.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('url=/');
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sessionCookie(callback) } });
    expect(me.json().user).toMatchObject({ login: 'spo_coord_77', regionCode: '77' });
  });

  it('sends an unknown provider account back to the sign-in page with oidc_user_unknown', async () => {
    const { location, cookie } = await start();
    const back = await signInAtProvider(location, 'stranger_99');
    const callback = await ctx.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/login?error=oidc_user_unknown');
    expect(callback.cookies.find((c) => c.name === 'collector_session')).toBeUndefined();
  });

  it('refuses a callback whose state does not match this browser’s sign-in', async () => {
    const { location } = await start();
    const other = await start();
    const back = await signInAtProvider(location, 'spo_coord_77');
    const callback = await ctx.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie: other.cookie } });
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/login?error=oidc_failed');
    expect(callback.cookies.find((c) => c.name === 'collector_session')).toBeUndefined();
  });
});

describe('without OpenID Connect settings', () => {
  it('hides the button and answers 404 oidc_not_configured', async () => {
    const ctx = await createTestApp('pglite');
    try {
      expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/config' })).json().oidc.enabled).toBe(false);
      const res = await ctx.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('oidc_not_configured');
    } finally {
      await ctx.close();
    }
  });
});
