import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scan, Upload } from '@collector/contracts';

const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ADMIN_PASSWORD = 'Admin-process-test-2026';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** the V8 flags of `pnpm start` and `pnpm start:worker` (apps/api/package.json; bin/start.mjs says why) */
const SERVER_HEAP_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=20'];

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs the server or a queue worker as a real process, exactly as `pnpm start` / `pnpm start:worker` do: the bundle
 * built by bin/start.mjs, with the same malloc and V8 heap settings (apps/api/package.json).
 */
export function spawnEntry(entry: 'server' | 'worker', env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [...SERVER_HEAP_FLAGS, 'bin/start.mjs', entry], {
    cwd: API_DIR,
    env: { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_ENV: 'production', LOG_LEVEL: 'info', ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForHealth(base: string, spawned: Spawned, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (spawned.child.exitCode !== null) throw new Error(`server exited: ${spawned.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`server did not start: ${spawned.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function login(base: string, login: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

export async function sendArchive(base: string, cookie: string, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes]), fileName);
  const res = await fetch(`${base}/api/uploads`, { method: 'POST', headers: { cookie }, body: form });
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json() as { id: string }).id;
}

export async function getUpload(base: string, cookie: string, id: string): Promise<Upload> {
  const res = await fetch(`${base}/api/uploads/${id}`, { headers: { cookie } });
  return (await res.json()) as Upload;
}

/** The scans of an upload, as its page lists them. */
export async function getUploadScans(base: string, cookie: string, id: string): Promise<Scan[]> {
  const res = await fetch(`${base}/api/uploads/${id}/scans`, { headers: { cookie } });
  return ((await res.json()) as { scans: Scan[] }).scans;
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, intervalMs = 150): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
