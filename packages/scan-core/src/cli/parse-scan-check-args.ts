export interface ScanCheckArgs {
  archive: string;
  password: string | undefined;
  pattern: RegExp | undefined;
  json: boolean;
  /** write where the time went to stderr as one JSON line (stdout stays the --json document) */
  profile: boolean;
}

export const SCAN_CHECK_USAGE = 'usage: scan-check ARCHIVE.zip [--password P] [--pattern REGEX] [--json] [--profile]   (also a single .jpg/.tif page)';

/** A wrong command line: scan-check prints the usage and exits with 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseScanCheckArgs(argv: readonly string[]): ScanCheckArgs {
  let archive: string | undefined;
  let password: string | undefined;
  let pattern: RegExp | undefined;
  let json = false;
  let profile = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--profile':
        profile = true;
        break;
      case '--password':
        password = value();
        break;
      case '--pattern': {
        const source = value();
        try {
          pattern = new RegExp(source);
        } catch {
          throw new UsageError(`--pattern is not a valid regular expression: ${source}`);
        }
        break;
      }
      case '-h':
      case '--help':
        throw new UsageError('');
      default:
        if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
        if (archive !== undefined) throw new UsageError('only one archive at a time');
        archive = arg;
    }
  }
  if (archive === undefined) throw new UsageError('no archive given');
  return { archive, password, pattern, json, profile };
}
