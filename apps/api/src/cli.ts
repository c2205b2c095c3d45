import { parseArgs } from 'node:util';
import { CreateUserRequestSchema, NewPasswordSchema, RoleSchema } from '@collector/contracts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { openDatabase, type Database } from './db/open-database.ts';
import { AppError } from './errors.ts';
import { recordAudit } from './services/audit.ts';
import { createUser } from './services/create-user.ts';
import { generatePassword, hashPassword } from './services/passwords.ts';

const USAGE = `Коллектор — командная строка

  pnpm cli users:add --login LOGIN --role coordinator|operator|admin [--region RR] [--name "ФИО"] [--email E] [--password-stdin]
  pnpm cli users:list
  pnpm cli users:reset-password --login LOGIN [--password-stdin]
  pnpm cli users:disable --login LOGIN   |   users:enable --login LOGIN

With --password-stdin the password is read from the first line of standard input
(echo 'пароль' | pnpm cli users:add … --password-stdin); otherwise one is generated and printed once. The database is the one the server uses:
DATABASE_URL, or the embedded one in DATA_DIR (default ./data; stop the server first).`;

class UsageError extends Error {}

const COMMANDS = ['users:add', 'users:list', 'users:reset-password', 'users:disable', 'users:enable'];

async function readPiped(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim();
  return text ? text : undefined;
}

async function passwordFromStdin(wanted: boolean): Promise<string | undefined> {
  if (!wanted) return undefined;
  const piped = await readPiped();
  if (piped === undefined) throw new UsageError('--password-stdin: standard input is empty');
  const parsed = NewPasswordSchema.safeParse(piped);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'bad password');
  return parsed.data;
}

async function run(db: Database, command: string, values: Record<string, string | undefined>, stdinPassword: boolean): Promise<void> {
  const prisma = db.prisma;
  switch (command) {
    case 'users:add': {
      const role = RoleSchema.safeParse(values.role);
      if (!values.login || !role.success) throw new UsageError('users:add needs --login and --role coordinator|operator|admin');
      const password = await passwordFromStdin(stdinPassword);
      const input = CreateUserRequestSchema.safeParse({
        login: values.login,
        role: role.data,
        regionCode: values.region ?? null,
        fullName: values.name,
        email: values.email ?? null,
        ...(password ? { password } : {}),
      });
      if (!input.success) throw new UsageError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
      const { user, generatedPassword } = await createUser(prisma, input.data);
      await recordAudit(prisma, { userId: null, action: 'user.create', entityType: 'user', entityId: user.id, regionCode: user.regionCode, after: { login: user.login, role: user.role, regionCode: user.regionCode, via: 'cli' } });
      console.log(`Создан пользователь ${user.login} (${user.role}${user.regionCode ? `, регион ${user.regionCode}` : ''})`);
      if (generatedPassword) console.log(`Пароль: ${generatedPassword}`);
      return;
    }
    case 'users:list': {
      const users = await prisma.user.findMany({ orderBy: [{ regionCode: 'asc' }, { login: 'asc' }] });
      for (const u of users) console.log([u.login.padEnd(24), u.role.padEnd(12), (u.regionCode ?? '—').padEnd(4), u.disabled ? 'отключён' : 'активен'].join(' '));
      return;
    }
    case 'users:reset-password':
    case 'users:disable':
    case 'users:enable': {
      if (!values.login) throw new UsageError(`${command} needs --login`);
      const user = await prisma.user.findUnique({ where: { login: values.login.toLowerCase() } });
      if (!user) throw new UsageError(`Пользователь ${values.login} не найден`);
      if (command === 'users:reset-password') {
        const piped = await passwordFromStdin(stdinPassword);
        const password = piped ?? generatePassword();
        const passwordHash = await hashPassword(password);
        await prisma.$transaction([
          prisma.user.update({ where: { id: user.id }, data: { passwordHash } }),
          prisma.session.deleteMany({ where: { userId: user.id } }),
          prisma.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } }),
          prisma.auditLog.create({ data: { action: 'user.update', entityType: 'user', entityId: user.id, regionCode: user.regionCode, after: { passwordReset: true, via: 'cli' } } }),
        ]);
        console.log(`Пароль пользователя ${user.login} изменён`);
        if (!piped) console.log(`Пароль: ${password}`);
      } else {
        const disabled = command === 'users:disable';
        await prisma.$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { disabled } });
          if (disabled) await tx.session.deleteMany({ where: { userId: user.id } });
          await recordAudit(tx, { userId: null, action: 'user.update', entityType: 'user', entityId: user.id, regionCode: user.regionCode, before: { disabled: user.disabled }, after: { disabled, via: 'cli' } });
        });
        console.log(`Пользователь ${user.login} ${disabled ? 'отключён' : 'включён'}`);
      }
      return;
    }
    default:
      throw new UsageError(`Неизвестная команда: ${command}`);
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      login: { type: 'string' },
      role: { type: 'string' },
      region: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (!COMMANDS.includes(command)) throw new UsageError(`Неизвестная команда: ${command}\n\n${USAGE}`);
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl ? { kind: 'postgresql', url: config.databaseUrl } : { kind: 'pglite', dataDir: `${config.dataDir}/pglite` });
  try {
    await run(db, command, { login: values.login, role: values.role, region: values.region, name: values.name, email: values.email }, values['password-stdin'] === true);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirBusyError) {
    console.error(error.message);
    process.exitCode = 1;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
