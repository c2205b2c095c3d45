/**
 * `pnpm scan-check ARCHIVE [--password P] [--pattern REGEX] [--json]`: checks an archive (or one .jpg/.tif)
 * offline exactly as the collector would, so a scan centre can test it before sending 250 MB.
 * Exit code 0 when accepted (with or without problems), 2 when rejected, 1 on a usage error.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { scanArchive } from '../scan-archive.ts';
import { createProgressBar } from './create-progress-bar.ts';
import { formatScanReport } from './format-scan-report.ts';
import { SCAN_CHECK_USAGE, UsageError, parseScanCheckArgs } from './parse-scan-check-args.ts';
import { toScanCheckJson } from './to-scan-check-json.ts';

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseScanCheckArgs(argv);
    // `pnpm scan-check` runs from the repository root; a relative name means the folder the person typed it in.
    args.archive = resolve(process.env['INIT_CWD'] ?? process.cwd(), args.archive);
    const archive = args.archive;
    await access(archive).catch(() => {
      throw new UsageError(`no such file: ${archive}`);
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`scan-check: ${error.message}\n`);
    process.stderr.write(`${SCAN_CHECK_USAGE}\n`);
    return 1;
  }
  const progress = createProgressBar(process.stderr);
  const result = await scanArchive(args.archive, {
    password: args.password,
    pattern: args.pattern,
    profile: args.profile,
    onProgress: (state) => progress.update(state),
  });
  progress.done();
  if (result.profile !== undefined) process.stderr.write(`scan-check profile: ${JSON.stringify(result.profile)}\n`);
  process.stdout.write(args.json ? `${JSON.stringify(toScanCheckJson(result), null, 2)}\n` : `${formatScanReport(result)}\n`);
  return result.verdict === 'rejected' ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`scan-check: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
