import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Scan } from '@collector/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addUser, cloneTemplateDatabase, createTestApp, signIn, type TestContext } from './helpers.ts';
import { ADMIN_PASSWORD, freePort, getUpload, getUploadScans, login, sendArchive, spawnEntry, waitForHealth, waitUntil, type Spawned } from './process-support.ts';
import { makeArchive, postArchive, waitForUpload } from './upload-support.ts';

const redisUrl = inject('redisUrl');
const templateUrl = inject('postgresTemplateUrl');

/** What a scan is, whichever process made it. */
const essence = (s: Scan) => ({ entryName: s.entryName, page: s.page, status: s.status, reason: s.reason, blankNumber: s.blankNumber, rotation: s.rotation, fill: s.fill });
const byName = (a: { entryName: string }, b: { entryName: string }) => a.entryName.localeCompare(b.entryName);

describe.skipIf(!redisUrl || !templateUrl)('the Redis queue with two worker processes', () => {
  const running: Spawned[] = [];
  let embedded: TestContext;
  const archives: Buffer[] = [];

  beforeAll(async () => {
    for (let a = 0; a < 4; a++) {
      archives.push(
        await readFile(
          await makeArchive(
            Array.from({ length: 5 }, (_, i) => ({
              name: `aud-${a}/p${i}.jpg`,
              page: { blankNumber: i === 4 ? null : `20031192417${a}${String(10000 + i)}`, filled: i % 2 === 0, rotation: i === 1 ? (180 as const) : (0 as const), seed: a * 10 + i },
            })),
          ),
        ),
      );
    }
    embedded = await createTestApp('pglite', { SCAN_WORKERS: '1' });
    await addUser(embedded, 'spo_coord_77', 'coordinator', '77');
  });
  afterAll(async () => {
    for (const s of running) s.child.kill('SIGKILL');
    await embedded?.close();
  });

  it('gives the same scans as the embedded mode, with the jobs shared between the workers', async () => {
    // the embedded mode's answer
    const cookie = await signIn(embedded, 'spo_coord_77');
    const expected: Array<ReturnType<typeof essence>[]> = [];
    for (const archive of archives) {
      const upload = await waitForUpload(embedded, cookie, (await postArchive(embedded, cookie, archive)).json<{ id: string }>().id);
      expect(upload.status).toBe('done');
      const scans = (await embedded.app.inject({ method: 'GET', url: `/api/uploads/${upload.id}/scans`, headers: { cookie } })).json<{ scans: Scan[] }>().scans;
      expected.push(scans.map(essence).sort(byName));
    }

    // an API and two workers sharing one PostgreSQL database, one file storage and one Redis
    const databaseUrl = new URL(await cloneTemplateDatabase(`redis_${process.pid}`));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-redis-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      WEB_DIST_DIR: path.join(dataDir, 'no-web'),
      DATABASE_URL: databaseUrl.href,
      REDIS_URL: redisUrl,
      REDIS_QUEUE_PREFIX: `test-${process.pid}-${Date.now()}`,
      SCAN_WORKERS: '1',
    };
    const api = spawnEntry('server', env);
    running.push(api);
    await waitForHealth(base, api);
    const adminCookie = await login(base, 'admin', ADMIN_PASSWORD);
    // what the API runs on is told to signed-in users only
    const health = (await (await fetch(`${base}/api/health`, { headers: { cookie: adminCookie } })).json()) as { queue: string; database: string };
    expect(health).toMatchObject({ queue: 'redis', database: 'postgresql' });
    const workers = [spawnEntry('worker', env), spawnEntry('worker', env)];
    running.push(...workers);

    await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { cookie: adminCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'spo_coord_77', password: 'Coordinator-pass-77', role: 'coordinator', regionCode: '77' }),
    });
    const coord = await login(base, 'spo_coord_77', 'Coordinator-pass-77');
    const ids: string[] = [];
    for (const [i, archive] of archives.entries()) ids.push(await sendArchive(base, coord, archive, `aud-${i}.zip`));
    for (const [i, id] of ids.entries()) {
      const upload = await waitUntil(async () => {
        const u = await getUpload(base, coord, id);
        return u.status === 'done' || u.status === 'failed' || u.status === 'rejected' ? u : null;
      }, 240_000, `upload ${i} to be processed by a worker`);
      expect(upload.status).toBe('done');
      const scans = await getUploadScans(base, coord, id);
      expect(scans.map(essence).sort(byName)).toEqual(expected[i]);
    }
    // both workers took jobs
    const check = new pg.Client({ connectionString: databaseUrl.href });
    await check.connect();
    const { rows } = await check.query<{ workerId: string }>('SELECT DISTINCT "workerId" FROM "Upload" WHERE "workerId" IS NOT NULL');
    await check.end();
    expect(rows.length).toBe(2);
  }, 600_000);
});
