import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from './support/credentials.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const port = Number(process.env['E2E_PORT'] ?? 18_473);

/*
 * Every run starts from an empty data folder, so the journey always meets a freshly seeded admin.
 * Playwright evaluates this file again in each worker; the folder is made once, in the runner,
 * and handed to the workers through the environment they inherit.
 */
if (process.env['E2E_DATA_DIR'] === undefined) {
  const tmpRoot = path.join(here, '.tmp');
  mkdirSync(tmpRoot, { recursive: true });
  // Only the latest run's data is kept for a look after a failure; each one weighs tens of MB.
  for (const entry of readdirSync(tmpRoot)) {
    if (entry.startsWith('run-')) rmSync(path.join(tmpRoot, entry), { recursive: true, force: true });
  }
  process.env['E2E_DATA_DIR'] = mkdtempSync(path.join(tmpRoot, 'run-'));
}
const dataDir = process.env['E2E_DATA_DIR'];

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // The journeys share one server and build on each other's users; two cores do not need more.
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env['CI'] !== undefined,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'pnpm --filter @collector/web build && pnpm --filter @collector/api start',
    cwd: repoRoot,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    // A cold build plus the embedded database's first start on a busy two-core machine.
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_LOGIN,
      ADMIN_PASSWORD,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // request logs drown the test report; warnings and errors still show
      LOG_LEVEL: 'warn',
      // ФИС ОКО is configured but unreachable (nothing listens on that port): the button shows, and
      // pressing it exercises the real way back to /login?error=… when the provider is down.
      OIDC_ISSUER: `http://127.0.0.1:${port + 1}/unreachable-provider`,
      OIDC_CLIENT_ID: 'collector-e2e',
    },
  },
});
