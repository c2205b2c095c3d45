import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, databaseUrl: undefined, redisUrl: undefined, adminLogin: 'admin', oidc: undefined });
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).port).toBe(8080);
  });

  it('lists every bad key at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_PASSWORD: 'short', REDIS_URL: 'http://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'ADMIN_PASSWORD', 'REDIS_URL']));
    }
  });

  it('refuses an OpenID Connect issuer without a client id', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_ISSUER and OIDC_CLIENT_ID go together/);
  });

  it('turns on OpenID Connect only with an issuer and a client id', () => {
    const c = loadConfig({ OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'collector' });
    expect(c.oidc).toMatchObject({ issuer: 'https://id.example', clientId: 'collector', label: 'Войти с учетной записью ФИС ОКО' });
  });
});
