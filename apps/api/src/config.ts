import path from 'node:path';
import { LoginSchema } from '@collector/contracts';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());

/** Every setting of the API, read from the environment once at boot. Nothing else reads process.env. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    DATABASE_URL: z.preprocess(emptyToUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional()),
    REDIS_URL: z.preprocess(emptyToUndefined, z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional()),
    PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
    ADMIN_LOGIN: z.preprocess(emptyToUndefined, LoginSchema.default('admin')),
    ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(10, 'must be at least 10 characters').optional()),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    /** the web app's built files; served by the API when present */
    WEB_DIST_DIR: optionalString,
    /** false; a number of proxy hops; or the proxies' addresses/CIDRs, comma-separated. Never blanket trust. */
    TRUST_PROXY: z
      .preprocess(emptyToUndefined, z.string().default('false'))
      .refine((v) => v === 'false' || /^\d{1,2}$/.test(v) || /^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/.test(v), 'false, a hop count, or proxy addresses/CIDRs separated by commas')
      .transform((v): false | number | string => (v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
    /** 32 bytes, base64 or hex: encrypts archive passwords until their job has used them; default a key file in DATA_DIR */
    ARCHIVE_KEY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes as 64 hex digits or base64')
        .optional(),
    ),
    /** prefix of the job queue's keys in Redis: deployments sharing one Redis keep their jobs apart */
    REDIS_QUEUE_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('collector')),
    /** page-analysis threads per processing process; default every core */
    SCAN_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).optional()),
    SESSION_TTL_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(24 * 30).default(12)),
    LOGIN_MAX_FAILURES: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(10)),
    LOGIN_WINDOW_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(60)),
    SMTP_URL: z.preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default('Коллектор <no-reply@localhost>')),
    OIDC_ISSUER: optionalUrl,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_LABEL: z.preprocess(emptyToUndefined, z.string().default('Войти с учетной записью ФИС ОКО')),
    OIDC_SCOPE: z.preprocess(emptyToUndefined, z.string().default('openid profile')),
    /** claim carrying the user's login in the collector */
    OIDC_LOGIN_CLAIM: z.preprocess(emptyToUndefined, z.string().default('preferred_username')),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID].filter(Boolean).length;
    if (oidc === 1) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'OIDC_ISSUER and OIDC_CLIENT_ID go together' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** How this machine reaches a server listening on HOST (wildcards become loopback; IPv6 gets brackets). */
function localAddress(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisQueuePrefix: string;
  publicUrl: string;
  adminLogin: string;
  adminPassword: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  webDistDir: string | undefined;
  trustProxy: false | number | string;
  sessionTtlMs: number;
  /** the archive-password key, or undefined for the key file in dataDir */
  archiveKey: Buffer | undefined;
  scanWorkers: number | undefined;
  login: { maxFailures: number; windowMs: number };
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string };
  oidc:
    | { issuer: string; clientId: string; clientSecret: string | undefined; label: string; scope: string; loginClaim: string }
    | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws ConfigError listing every bad key at once. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisQueuePrefix: env.REDIS_QUEUE_PREFIX,
    publicUrl: (env.PUBLIC_URL ?? `http://${localAddress(env.HOST)}:${env.PORT}`).replace(/\/$/, ''),
    adminLogin: env.ADMIN_LOGIN,
    adminPassword: env.ADMIN_PASSWORD,
    logLevel: env.LOG_LEVEL,
    webDistDir: env.WEB_DIST_DIR ? path.resolve(env.WEB_DIST_DIR) : undefined,
    trustProxy: env.TRUST_PROXY,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    archiveKey: env.ARCHIVE_KEY ? Buffer.from(env.ARCHIVE_KEY, /^[0-9a-fA-F]{64}$/.test(env.ARCHIVE_KEY) ? 'hex' : 'base64') : undefined,
    scanWorkers: env.SCAN_WORKERS,
    login: { maxFailures: env.LOGIN_MAX_FAILURES, windowMs: env.LOGIN_WINDOW_SECONDS * 1000 },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, outboxDir: path.join(dataDir, 'outbox') },
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            label: env.OIDC_LABEL,
            scope: env.OIDC_SCOPE,
            loginClaim: env.OIDC_LOGIN_CLAIM,
          }
        : undefined,
  };
}

/** For the entry points (server, worker): the configuration, or the list of bad keys and exit code 1. */
export function loadConfigOrExit(source: Record<string, string | undefined>): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
