import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type * as oidc from 'openid-client';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

const STATE_COOKIE = 'collector_oidc';
const STATE_TTL_SECONDS = 600;

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function encodePending(p: PendingLogin): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodePending(raw: string | undefined): PendingLogin | null {
  if (!raw || raw.length > 1000) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PendingLogin>;
    return typeof v.state === 'string' && typeof v.nonce === 'string' && typeof v.verifier === 'string'
      ? { state: v.state, nonce: v.nonce, verifier: v.verifier }
      : null;
  } catch {
    return null;
  }
}

/**
 * «Войти с учетной записью ФИС ОКО»: OpenID Connect authorization code flow with PKCE.
 * The provider's user is matched to a collector user by login (a configurable claim).
 */
const oidcRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const settings = config.oidc;
  const redirectUri = `${config.publicUrl}/api/auth/oidc/callback`;
  const secure = config.publicUrl.startsWith('https://');
  let discovered: Promise<oidc.Configuration> | undefined;
  // the client library is loaded by the first sign-in through the provider, not by every server that has none
  let library: Promise<typeof oidc> | undefined;
  const client = (): Promise<typeof oidc> =>
    (library ??= import('openid-client').catch((error: unknown) => {
      library = undefined;
      throw error;
    }));

  function providerConfig(): Promise<oidc.Configuration> {
    if (!settings) throw new AppError('oidc_not_configured');
    discovered ??= client()
      .then((oidc) =>
        oidc.discovery(
          new URL(settings.issuer),
          settings.clientId,
          settings.clientSecret,
          undefined,
          // plain http only for a provider on this machine (development and tests)
          isLoopbackHttp(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
        ),
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  const failTo = (code: string) => `/login?error=${encodeURIComponent(code)}`;

  app.get('/start', { config: { public: true }, schema: { tags: ['auth'], summary: 'Redirect to the ФИС ОКО sign-in page' } }, async (request, reply) => {
    if (!settings) throw new AppError('oidc_not_configured');
    let provider: oidc.Configuration;
    try {
      provider = await providerConfig();
    } catch (error) {
      request.log.error({ err: error }, 'OpenID Connect discovery failed');
      return reply.redirect(failTo('oidc_failed'));
    }
    const oidc = await client();
    const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: redirectUri,
      scope: settings.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    // Lax, not Strict: the provider's redirect back is a cross-site navigation that must carry it
    void reply.setCookie(STATE_COOKIE, encodePending(pending), {
      path: '/api/auth/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: STATE_TTL_SECONDS,
    });
    return reply.redirect(url.href);
  });

  app.get('/callback', { config: { public: true }, schema: { tags: ['auth'], summary: 'Where the provider returns' } }, async (request, reply) => {
    if (!settings) throw new AppError('oidc_not_configured');
    const pending = decodePending(request.cookies[STATE_COOKIE]);
    void reply.clearCookie(STATE_COOKIE, { path: '/api/auth/oidc', httpOnly: true, sameSite: 'lax', secure });
    if (!pending) return reply.redirect(failTo('oidc_failed'));
    let login: string;
    try {
      // the URL the provider redirected to, rebuilt on PUBLIC_URL (which may carry a path prefix)
      const oidc = await client();
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const tokens = await oidc.authorizationCodeGrant(await providerConfig(), new URL(`${redirectUri}${query}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      let claim = idClaims?.[settings.loginClaim];
      // many providers keep profile claims out of the ID token and serve them from userinfo
      if ((typeof claim !== 'string' || claim.trim() === '') && idClaims?.sub) {
        const info = await oidc.fetchUserInfo(await providerConfig(), tokens.access_token, idClaims.sub);
        claim = info[settings.loginClaim];
      }
      if (typeof claim !== 'string' || claim.trim() === '') throw new Error(`the provider gave no ${settings.loginClaim} claim`);
      login = claim.trim().toLowerCase();
    } catch (error) {
      request.log.warn({ err: error }, 'OpenID Connect sign-in failed');
      return reply.redirect(failTo('oidc_failed'));
    }
    const user = await app.prisma.user.findUnique({ where: { login } });
    if (!user || user.disabled) {
      request.log.info({ login: login.slice(0, 64) }, 'OpenID Connect user has no active account here');
      return reply.redirect(failTo('oidc_user_unknown'));
    }
    const signedIn = await app.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await app.startSession(request, reply, signedIn);
    // A redirect here would still belong to the provider's cross-site navigation, and the browser
    // would withhold the new SameSite=Strict cookie; a page that moves on by itself is same-site.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send('<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/"><title>Коллектор</title></head><body><p>Вход выполнен. <a href="/">Перейти в Коллектор</a></p></body></html>');
  });
};

export default oidcRoutes;
