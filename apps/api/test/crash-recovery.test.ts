import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeArchive } from './upload-support.ts';
import { ADMIN_PASSWORD, freePort, getUpload, getUploadScans, login, sendArchive, spawnEntry, waitForHealth, waitUntil, type Spawned } from './process-support.ts';

const PAGES = 36;
const COPIES = 2;

describe('an upload whose server is killed mid-processing', () => {
  const running: Spawned[] = [];
  afterAll(async () => {
    for (const s of running) s.child.kill('SIGKILL');
  });

  it('resumes after a restart and ends with exactly one scan per page', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-crash-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', WEB_DIST_DIR: path.join(dataDir, 'no-web'), SCAN_WORKERS: '2' };
    const pages = Array.from({ length: PAGES }, (_, i) => ({ name: `aud-12/page-${String(i + 1).padStart(2, '0')}.jpg`, page: { blankNumber: `2003119241770${String(1000 + i)}`, filled: i % 3 !== 0, seed: 100 + i } }));
    // the first two pages again at the end of the archive, byte for byte: stored before the crash, met again after it
    const copies = pages.slice(0, COPIES).map((entry, i) => ({ ...entry, name: `aud-12/copy-${String(i + 1).padStart(2, '0')}.jpg` }));
    const archive = await readFile(await makeArchive([...pages, ...copies]));

    const first = spawnEntry('server', env);
    running.push(first);
    await waitForHealth(base, first);
    const admin = await login(base, 'admin', ADMIN_PASSWORD);
    const created = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'spo_coord_77', password: 'Coordinator-pass-77', role: 'coordinator', regionCode: '77' }),
    });
    expect(created.status).toBe(201);
    const coord = await login(base, 'spo_coord_77', 'Coordinator-pass-77');
    const id = await sendArchive(base, coord, archive, 'aud-12.zip');

    // kill -9 once some pages are stored, the first one among them (its copy comes after the restart), and others not
    const stored = await waitUntil(async () => {
      const upload = await getUpload(base, coord, id);
      if (upload.counts.total < 3 || upload.counts.total >= PAGES - 3) return null;
      const scans = await getUploadScans(base, coord, id);
      return scans.some((s) => s.entryName === 'aud-12/page-01.jpg') ? upload.counts.total : null;
    }, 120_000, 'the first pages to be stored');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(stored).toBeLessThan(PAGES);

    const second = spawnEntry('server', env);
    running.push(second);
    await waitForHealth(base, second);
    const coordAgain = await login(base, 'spo_coord_77', 'Coordinator-pass-77');
    const done = await waitUntil(async () => {
      const upload = await getUpload(base, coordAgain, id);
      return upload.status === 'done' || upload.status === 'failed' ? upload : null;
    }, 180_000, 'the upload to finish after the restart');
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ total: PAGES, newScans: PAGES, alreadyStored: COPIES, duplicates: 0 });

    const scans = await getUploadScans(base, coordAgain, id);
    expect(scans).toHaveLength(PAGES);
    expect(new Set(scans.map((s) => s.entryName)).size).toBe(PAGES);
    // every page's number read, whichever process read it
    expect(scans.filter((s) => s.blankNumber !== null)).toHaveLength(PAGES);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 420_000);
});
