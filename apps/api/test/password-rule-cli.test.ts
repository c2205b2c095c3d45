import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-support.ts';

describe('pnpm cli applies the same password rule as the API', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'collector-password-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a guessable --password-stdin with the Russian reason and creates nobody; accepts a strong one', { timeout: 420_000 }, async () => {
    const dataDir = path.join(dir, 'data');
    const args = ['users:add', '--login', 'op_77_petrov', '--role', 'operator', '--region', '77', '--password-stdin'];
    const weak = await runCli(args, dataDir, '1234567890\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Пароль слишком легко подобрать.');
    const strong = await runCli(args, dataDir, 'сосна-пуговица-ливень\n');
    expect(strong.code, strong.stderr).toBe(0);
    expect(strong.stdout).toContain('Создан пользователь op_77_petrov');
  });
});
