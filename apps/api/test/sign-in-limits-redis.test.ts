import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cloneTemplateDatabase } from './helpers.ts';
import { ADMIN_PASSWORD, freePort, spawnEntry, waitForHealth, type Spawned } from './process-support.ts';

const redisUrl = inject('redisUrl');
const templateUrl = inject('postgresTemplateUrl');

/** A fresh database cloned from the migrated template, for processes that share it. */
const sharedDatabase = (suffix: string) => cloneTemplateDatabase(`${suffix}_${process.pid}`);

const signInAt = (base: string, password: string) =>
  fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password }) });

describe.skipIf(!redisUrl || !templateUrl)('sign-in limits shared by two API processes through one Redis', () => {
  const running: Spawned[] = [];
  afterAll(() => {
    for (const s of running) s.child.kill('SIGKILL');
  });

  it('counts the failures sent to either process together: the 11th is refused by both', async () => {
    const databaseUrl = await sharedDatabase('limits');
    const prefix = `test-limits-${process.pid}-${Date.now()}`;
    const bases: string[] = [];
    for (let i = 0; i < 2; i++) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-limits-'));
      const port = await freePort();
      const env = { DATA_DIR: dataDir, PORT: String(port), WEB_DIST_DIR: path.join(dataDir, 'no-web'), DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_QUEUE_PREFIX: prefix, LOGIN_MAX_FAILURES: '10' };
      const api = spawnEntry('server', env);
      running.push(api);
      bases.push(`http://127.0.0.1:${port}`);
      // one after the other: the first seeds the admin
      await waitForHealth(`http://127.0.0.1:${port}`, api);
    }
    const [a = '', b = ''] = bases;
    // five failures on each process: ten in all, none refused yet
    for (let i = 0; i < 10; i++) expect((await signInAt(i % 2 === 0 ? a : b, `wrong-guess-${i}`)).status).toBe(401);
    // one process alone would still allow five more; together the allowance is used up
    for (const base of [a, b]) {
      const refused = await signInAt(base, 'wrong-guess-x');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // the counters are in Redis under the deployment's prefix
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${prefix}:limits:*`);
      expect(keys.some((k) => k.includes('try:login:admin'))).toBe(true);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    // with the counters gone (the window passed) the owner signs in on either process
    for (const base of [a, b]) expect((await signInAt(base, ADMIN_PASSWORD)).status).toBe(200);
  });
});
