import { spawnSync } from 'node:child_process';
import { ARCHIVE_CODE_TEXT, ENTRY_CODE_TEXT } from '@collector/contracts/scan-texts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureArchiveFixtures } from '../../fixtures/archives/make-archives.ts';
import { parseScanCheckArgs } from './parse-scan-check-args.ts';

const launcher = fileURLToPath(new URL('../../bin/scan-check.sh', import.meta.url));
let fixtures = '';

beforeAll(async () => {
  fixtures = await ensureArchiveFixtures();
}, 180_000);

/** Runs the launcher `pnpm scan-check` runs, output captured (no TTY, so no progress bar). */
function scanCheck(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('sh', [launcher, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const ENTRY_KEYS = ['blankNumber', 'duplicateOf', 'fill', 'inkScore', 'kind', 'page', 'path', 'problem', 'rotation', 'sha256', 'symbology'];

describe('scan-check', () => {
  it('prints the JSON contract and exits 0 for an accepted archive with problems', () => {
    const run = scanCheck(join(fixtures, 'forbidden-formats-inside.zip'), '--json');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { entries: Record<string, unknown>[] };
    expect(Object.keys(report).sort()).toEqual(['archive', 'code', 'counts', 'entries', 'seconds', 'verdict']);
    expect(report).toMatchObject({ archive: 'forbidden-formats-inside.zip', verdict: 'accepted_with_problems', code: null });
    for (const entry of report.entries) expect(Object.keys(entry).sort()).toEqual(ENTRY_KEYS);
    const page = report.entries.find((entry) => entry.kind === 'page');
    expect(page).toMatchObject({ path: 'page-01.jpg', problem: null, page: 1 });
    expect(page?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.entries.find((entry) => entry.path === 'scan.pdf')).toMatchObject({ kind: 'problem', problem: 'forbidden_format' });
    expect(report.counts).toEqual({ pages: 1, recognized: 0, unrecognized: 1, empty: expect.any(Number), duplicates: 0, ignored: 0, problems: 9 });
  }, 90_000);

  it('exits 2 with the archive code when rejected, and opens the archive with --password', () => {
    const rejected = scanCheck(join(fixtures, 'aes256-password-is-secret.zip'), '--json', '--password', 'wrong');
    expect(rejected.status).toBe(2);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ verdict: 'rejected', code: 'wrong_password', entries: [] });
    const human = scanCheck(join(fixtures, 'multipart-split-100k.zip'));
    expect(human.status).toBe(2);
    // the same sentence the upload list shows a coordinator, from packages/contracts
    expect(human.stdout).toContain(`ОТКЛОНЁН — multipart_archive: ${ARCHIVE_CODE_TEXT.multipart_archive}`);
    const withProblems = scanCheck(join(fixtures, 'forbidden-formats-inside.zip'));
    expect(withProblems.stdout).toMatch(new RegExp(`scan\\.pdf +forbidden_format: ${ENTRY_CODE_TEXT.forbidden_format.replace(/[().]/g, '\\$&')}`));
  }, 90_000);

  it('exits 1 on a usage error', () => {
    expect(scanCheck().status).toBe(1);
    expect(scanCheck('--json').status).toBe(1);
    expect(scanCheck(join(fixtures, 'no-such-file.zip')).status).toBe(1);
    const badPattern = scanCheck(join(fixtures, 'good-pages-stored.zip'), '--pattern', '([');
    expect(badPattern.status).toBe(1);
    expect(badPattern.stderr).toContain('--pattern');
  }, 90_000);
});

describe('parseScanCheckArgs', () => {
  it('reads the archive and every option, in any order and as --name=value', () => {
    expect(parseScanCheckArgs(['--json', 'a.zip', '--password=p w', '--pattern', '^\\d{6}$'])).toEqual({
      archive: 'a.zip',
      password: 'p w',
      pattern: /^\d{6}$/,
      json: true,
      profile: false,
    });
    expect(parseScanCheckArgs(['--profile', 'a.zip']).profile).toBe(true);
  });

  it('refuses unknown options, a missing value and two archives', () => {
    expect(() => parseScanCheckArgs(['a.zip', '--verbose'])).toThrow(/unknown option/);
    expect(() => parseScanCheckArgs(['a.zip', '--password'])).toThrow(/needs a value/);
    expect(() => parseScanCheckArgs(['a.zip', 'b.zip'])).toThrow(/one archive/);
  });
});
