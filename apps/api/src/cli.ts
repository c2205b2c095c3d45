import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateUserRequestSchema, describeRegistryRowError, NewPasswordSchema, RoleSchema, type RegistryImportResponse } from '@collector/contracts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { openDatabase, type Database } from './db/open-database.ts';
import { AppError, ERRORS } from './errors.ts';
import { userRepository, type UserActor } from './repositories/user-repository.ts';
import { importRegistry } from './services/import-registry.ts';

const USAGE = `Коллектор — командная строка

  pnpm cli users:add --login LOGIN --role coordinator|operator|admin [--region RR] [--name "ФИО"] [--email E] [--password-stdin]
  pnpm cli users:list
  pnpm cli users:reset-password --login LOGIN [--password-stdin]
  pnpm cli users:disable --login LOGIN   |   users:enable --login LOGIN
  pnpm cli registry:import FILE.csv

With --password-stdin the password is read from the first line of standard input
(echo 'пароль' | pnpm cli users:add … --password-stdin); otherwise one is generated and printed once.
Disabling a user or resetting a password ends the user's sessions and unused password-reset links.

registry:import loads events, schools, kits and blanks from a CSV with the header
event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number
(any column order; UTF-8 or Windows-1251; «,» or «;»). All or nothing: with a bad row nothing is
imported and every bad row is listed; exit code 2. Importing the same file again changes nothing.

The database is the one the server uses: DATABASE_URL, or the embedded one in DATA_DIR
(default ./data; stop the server first).`;

class UsageError extends Error {}
/** The input was understood but refused (a registry file with bad rows): exit code 2, as scan-check's rejection. */
class RejectedError extends Error {}

const COMMANDS = ['users:add', 'users:list', 'users:reset-password', 'users:disable', 'users:enable', 'registry:import'];
const CLI_ACTOR: UserActor = { userId: null, via: 'cli' };

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

const countFormat = new Intl.NumberFormat('ru-RU');

function printImportSummary(summary: RegistryImportResponse): void {
  const n = (value: number) => countFormat.format(value);
  const line = (label: string, counts: { created: number; unchanged: number; updated?: number }) =>
    `  ${label.padEnd(20)} новых: ${n(counts.created).padStart(9)}   без изменений: ${n(counts.unchanged).padStart(9)}${counts.updated ? `   дополнено позиций: ${n(counts.updated)}` : ''}`;
  console.log(`Реестр загружен из ${summary.fileName}: строк ${n(summary.rows)} (${summary.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1251'}, разделитель «${summary.delimiter}»), ${String(summary.seconds).replace('.', ',')} с`);
  console.log(line('Регионы', summary.regions));
  console.log(line('Мероприятия', summary.events));
  console.log(line('Точки проведения', summary.schools));
  console.log(line('Комплекты', summary.kits));
  console.log(line('Бланки', summary.blanks));
}

async function run(db: Database, command: string, args: string[], values: Record<string, string | undefined>, stdinPassword: boolean): Promise<void> {
  const users = userRepository(db.prisma);
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
      const { user, generatedPassword } = await users.create(input.data, CLI_ACTOR);
      console.log(`Создан пользователь ${user.login} (${user.role}${user.regionCode ? `, регион ${user.regionCode}` : ''})`);
      if (generatedPassword) console.log(`Пароль: ${generatedPassword}`);
      return;
    }
    case 'users:list': {
      for (const u of await users.list()) console.log([u.login.padEnd(24), u.role.padEnd(12), (u.regionCode ?? '—').padEnd(4), u.disabled ? 'отключён' : 'активен'].join(' '));
      return;
    }
    case 'users:reset-password':
    case 'users:disable':
    case 'users:enable': {
      if (!values.login) throw new UsageError(`${command} needs --login`);
      const found = await users.findByLogin(values.login);
      if (!found) throw new UsageError(`Пользователь ${values.login} не найден`);
      if (command === 'users:reset-password') {
        const piped = await passwordFromStdin(stdinPassword);
        const { user, generatedPassword } = await users.update(found.id, { resetPassword: piped ?? true }, CLI_ACTOR);
        console.log(`Пароль пользователя ${user.login} изменён`);
        if (generatedPassword) console.log(`Пароль: ${generatedPassword}`);
      } else {
        const { user } = await users.update(found.id, { disabled: command === 'users:disable' }, CLI_ACTOR);
        console.log(`Пользователь ${user.login} ${user.disabled ? 'отключён' : 'включён'}`);
      }
      return;
    }
    case 'registry:import': {
      const file = args[0];
      if (!file || args.length > 1) throw new UsageError('registry:import needs one FILE.csv');
      try {
        printImportSummary(await importRegistry(db.prisma, { filePath: path.resolve(file), fileName: path.basename(file), actor: { userId: null, via: 'cli' } }));
      } catch (error) {
        if (error instanceof AppError && error.code === 'registry_invalid') {
          const rows = (error.fieldErrors ?? []).map((e) => describeRegistryRowError({ line: e.line ?? 0, column: e.column ?? '', value: e.value ?? '', message: e.message }));
          throw new RejectedError([`${ERRORS.registry_invalid.title}. ${error.message}`, ...rows].join('\n'));
        }
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new UsageError(`Файл ${file} не найден`);
        throw error;
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
    await run(db, command, positionals.slice(1), { login: values.login, role: values.role, region: values.region, name: values.name, email: values.email }, values['password-stdin'] === true);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof RejectedError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirBusyError) {
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
