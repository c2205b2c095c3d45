/**
 * `pnpm bench:upload`: what a coordinator waits for, measured end to end against a real server process.
 *
 *   1. an archive of PAGES distinct grey 200 dpi pages (default 1,000, about 220 MB): from the last byte received
 *      (the 202 answer) to the final counts, against `pnpm scan-check` of the same archive (start-up included);
 *   2. sending that archive over loopback, multipart and tus, against copying the file with `cp`;
 *   3. the server's peak RSS (its page-analysis worker threads live in the same process) while it receives and
 *      processes the archive, started as `pnpm start` starts it (the bundle of bin/start.mjs).
 *
 * Figures are printed and written to apps/api/bench-results/upload-bench.json. Machines are shared and noisy, and
 * the same work takes a tenth more or less CPU from one minute to the next: scan-check runs before the first server
 * and again after each one, and each server is compared with the mean of the scan-check runs just before and after
 * it, side by side in one run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeBlankPage } from '../test/fixtures/make-blank-page.ts';
import { ADMIN_PASSWORD, freePort, getUpload, login, spawnEntry, waitForHealth, waitUntil } from '../test/process-support.ts';

const run = promisify(execFile);
const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(API_DIR, '../..');
const PAGES = Number(process.env.PAGES ?? 1000);
/** How often the bench asks for the upload's status; the final counts are seen at most this late. */
const STATUS_POLL_MS = 1000;
const CACHE = path.join(API_DIR, 'bench-results', `archive-${PAGES}.zip`);

async function buildArchive(): Promise<string> {
  try {
    await stat(CACHE);
    return CACHE;
  } catch {
    // made once, then reused
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'collector-bench-pages-'));
  const started = Date.now();
  for (let i = 0; i < PAGES; i++) {
    const folder = `aud-${String(Math.floor(i / 100) + 1).padStart(2, '0')}`;
    await mkdir(path.join(dir, folder), { recursive: true });
    const page = await makeBlankPage({ blankNumber: `2003119241${String(7700000 + i)}`, filled: i % 4 !== 0, rotation: i % 25 === 0 ? 180 : 0, seed: i + 1 });
    await writeFile(path.join(dir, folder, `scan-${String(i + 1).padStart(4, '0')}.jpg`), page);
    if ((i + 1) % 100 === 0) process.stderr.write(`  pages made: ${i + 1}/${PAGES} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  await mkdir(path.dirname(CACHE), { recursive: true });
  await run('zip', ['-q', '-r', '-0', CACHE, '.'], { cwd: dir, maxBuffer: 1 << 20 });
  await rm(dir, { recursive: true, force: true });
  return CACHE;
}

function memoryFigure(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/**
 * Starts the kernel's peak-RSS count (VmHWM) afresh (proc(5), clear_refs "5"), so the figure covers receiving and
 * processing only; the start-up peak (the embedded database creating itself on its first start) is reported apart.
 */
async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

/** Clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system, every thread) a process has used, from /proc/PID/stat. */
function cpuSeconds(pid: number | 'self-children'): number {
  const stat = spawnSync('cat', [`/proc/${pid === 'self-children' ? process.pid : pid}/stat`], { encoding: 'utf8' }).stdout;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the name, state is index 0: utime and stime are 11 and 12, the waited-for children's 13 and 14
  const [user, system] = pid === 'self-children' ? [fields[13], fields[14]] : [fields[11], fields[12]];
  return (Number(user) + Number(system)) / CLOCK_TICKS;
}

function threadCount(pid: number): number {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  return Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/**
 * Creating the bench's coordinator judged a password: the server's password worker (zxcvbn's dictionaries, tens of
 * MB) lives until two seconds after its last use. The upload is measured from an idle server, as a coordinator's
 * would be, so this waits until that thread has ended (at most five seconds).
 */
async function waitForPasswordWorkerEnd(pid: number): Promise<void> {
  const withWorker = threadCount(pid);
  const until = Date.now() + 5_000;
  while (threadCount(pid) >= withWorker && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
}

/**
 * Asks `url` every 100 ms until stopped and keeps the slowest answer: whether the server still answers its users
 * while it processes an upload (a long synchronous step on its main thread would hold every request).
 */
function watchResponsiveness(url: string): { stop(): Promise<number> } {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const asked = performance.now();
      // a server that stopped answering ends the watch; the bench's own wait reports why
      const answered = await fetch(url).then((res) => res.arrayBuffer()).then(() => true, () => false);
      if (!answered) break;
      slowest = Math.max(slowest, performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return slowest;
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB (${(bytes / 1e6).toFixed(1)} MB)`;

async function main(): Promise<void> {
  const archive = await buildArchive();
  const size = (await stat(archive)).size;
  console.log(`archive: ${PAGES} pages, ${mb(size)} (${archive})`);

  // the reference: scan-check of the same archive, as a scan centre runs it
  const scanCheck = async (): Promise<{ seconds: number; cpuSeconds: number; pages: number }> => {
    const cpuBefore = cpuSeconds('self-children');
    const check = await timed(() => run('sh', [path.join(ROOT, 'packages/scan-core/bin/scan-check.sh'), archive, '--json'], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 }));
    const checked = JSON.parse(check.value.stdout) as { counts: { pages: number } };
    return { seconds: check.seconds, cpuSeconds: cpuSeconds('self-children') - cpuBefore, pages: checked.counts.pages };
  };
  const checks = [await scanCheck()];

  const copy = await timed(() => run('cp', [archive, path.join(os.tmpdir(), `collector-bench-copy-${process.pid}.zip`)]));
  await rm(path.join(os.tmpdir(), `collector-bench-copy-${process.pid}.zip`), { force: true });

  const runs: Array<Record<string, unknown>> = [];
  const databases: Array<{ name: string; env: Record<string, string> }> = [{ name: 'embedded (PGlite)', env: {} }];
  const postgres = await createBenchDatabase();
  if (postgres) databases.push({ name: 'PostgreSQL', env: { DATABASE_URL: postgres } });
  for (const database of databases) {
    const measured = await measureServer(database.name, database.env, archive, size, copy.seconds);
    const before = checks[checks.length - 1];
    const after = await scanCheck();
    checks.push(after);
    const reference = ((before?.seconds ?? after.seconds) + after.seconds) / 2;
    runs.push({ ...measured, scanCheckSeconds: reference, processingOverScanCheck: Number(measured.lastByteToCountsSeconds) / reference });
  }

  const results = { pages: PAGES, archiveBytes: size, scanCheckRuns: checks, cpSeconds: copy.seconds, cores: os.availableParallelism(), runs };
  console.log('');
  const row = (what: string, figure: string) => console.log(`  ${what.padEnd(62)}${figure.padStart(16)}`);
  for (const [index, check] of checks.entries()) {
    row(`scan-check, ${index === 0 ? 'first' : `after server ${index}`} (wall, start-up included)`, `${check.seconds.toFixed(1)} s`);
    row(`  its CPU, all threads (cores busy)`, `${check.cpuSeconds.toFixed(1)} s (${(check.cpuSeconds / check.seconds).toFixed(2)})`);
  }
  row(`cp of the archive`, `${copy.seconds.toFixed(2)} s`);
  for (const [index, r] of runs.entries()) {
    console.log(`  — server ${index + 1} on ${String(r.database)}`);
    row(`upload: last byte received → final counts`, `${Number(r.lastByteToCountsSeconds).toFixed(1)} s`);
    row(`  ratio to scan-check before and after it (${Number(r.scanCheckSeconds).toFixed(1)} s; aim ≤ 1.2×)`, `${Number(r.processingOverScanCheck).toFixed(2)}×`);
    row(`  server CPU meanwhile, all threads (cores busy)`, `${Number(r.processingCpuSeconds).toFixed(1)} s (${(Number(r.processingCpuSeconds) / Number(r.lastByteToCountsSeconds)).toFixed(2)})`);
    row(`  pages stored / new scans`, `${String(r.pagesStored)} / ${String(r.newScans)}`);
    row(`  slowest /api/health answer while processing`, `${Number(r.slowestHealthAnswerMs).toFixed(0)} ms`);
    row(`multipart upload over loopback (${mb(size)}), ratio to cp`, `${Number(r.multipartSeconds).toFixed(2)} s, ${Number(r.multipartOverCp).toFixed(1)}×`);
    row(`tus upload over loopback (one PATCH), ratio to cp`, `${Number(r.tusSeconds).toFixed(2)} s, ${Number(r.tusOverCp).toFixed(1)}×`);
    row(`server peak RSS, receiving and processing (aim ≤ 300 MB)`, mb(Number(r.serverPeakRssBytes)));
    row(`  resident before the upload (database included)`, mb(Number(r.serverRssAfterStartBytes)));
    row(`  start-up peak (a new embedded database creates itself)`, mb(Number(r.serverStartupPeakRssBytes)));
  }
  await mkdir(path.join(API_DIR, 'bench-results'), { recursive: true });
  await writeFile(path.join(API_DIR, 'bench-results', 'upload-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (postgres) await dropBenchDatabase(postgres);
}

const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for the second run, or null when no server answers. */
async function createBenchDatabase(): Promise<string | null> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    console.log('PostgreSQL not reachable: the embedded database only');
    return null;
  }
  const name = `collector_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.href;
}

async function dropBenchDatabase(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}

async function measureServer(database: string, extraEnv: Record<string, string>, archive: string, size: number, cpSeconds: number): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'collector-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnEntry('server', { DATA_DIR: dataDir, PORT: String(port), WEB_DIST_DIR: path.join(dataDir, 'no-web'), LOG_LEVEL: 'warn', ...extraEnv });
  try {
    await waitForHealth(base, server);
    const pid = server.child.pid ?? 0;
    const admin = await login(base, 'admin', ADMIN_PASSWORD);
    await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'spo_coord_77', password: 'Coordinator-pass-77', role: 'coordinator', regionCode: '77' }),
    });
    const coord = await login(base, 'spo_coord_77', 'Coordinator-pass-77');
    await waitForPasswordWorkerEnd(pid);
    const startupPeak = memoryFigure(pid, 'VmHWM');
    const rssBefore = memoryFigure(pid, 'VmRSS');
    await resetPeakRss(pid);

    // tus first (the browser's way): one creation, one streamed PATCH; not submitted, so it is only received
    const tus = await timed(async () => {
      const created = await fetch(`${base}/api/uploads/tus`, {
        method: 'POST',
        headers: { cookie: coord, 'tus-resumable': '1.0.0', 'upload-length': String(size), 'upload-metadata': `filename ${Buffer.from('bench.zip').toString('base64')}` },
      });
      const location = created.headers.get('location') ?? '';
      const res = await fetch(`${base}${location}`, {
        method: 'PATCH',
        headers: { cookie: coord, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': String(size) },
        body: createReadStream(archive) as unknown as BodyInit,
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 204) throw new Error(`tus PATCH ${res.status}`);
    });

    // multipart (the scripts' way), then processing
    const form = new FormData();
    form.append('file', await (await import('node:fs')).openAsBlob(archive), 'bench.zip');
    const sent = await timed(async () => {
      const res = await fetch(`${base}/api/uploads`, { method: 'POST', headers: { cookie: coord }, body: form });
      if (res.status !== 202) throw new Error(`upload ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    });
    const health = watchResponsiveness(`${base}/api/health`);
    const cpuAtLastByte = cpuSeconds(pid);
    let slowestHealthMs = 0;
    let processed: { seconds: number; value: Awaited<ReturnType<typeof getUpload>> };
    try {
      processed = await timed(() =>
        waitUntil(async () => {
          const u = await getUpload(base, coord, sent.value);
          return u.status === 'done' || u.status === 'failed' || u.status === 'rejected' ? u : null;
          // asked about as often as an open upload list asks (every 1.5 s; each answer costs the embedded database
          // about 15 ms): asked ten times as often, the answers took a tenth of a core from the processing
        }, 1_800_000, 'the bench upload', STATUS_POLL_MS),
      );
    } finally {
      slowestHealthMs = await health.stop();
    }
    const rssPeak = memoryFigure(pid, 'VmHWM');
    const processingCpuSeconds = cpuSeconds(pid) - cpuAtLastByte;
    const upload = processed.value;

    return {
      database,
      lastByteToCountsSeconds: processed.seconds,
      processingCpuSeconds,
      slowestHealthAnswerMs: slowestHealthMs,
      uploadStatus: upload.status,
      pagesStored: upload.counts.total,
      newScans: upload.counts.newScans,
      multipartSeconds: sent.seconds,
      tusSeconds: tus.seconds,
      multipartOverCp: sent.seconds / cpSeconds,
      tusOverCp: tus.seconds / cpSeconds,
      serverPeakRssBytes: rssPeak,
      serverRssAfterStartBytes: rssBefore,
      serverStartupPeakRssBytes: startupPeak,
    };
  } catch (error) {
    console.error(`server output:\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}


await main();
