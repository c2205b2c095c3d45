import { PASSWORD_MIN_LENGTH } from '@collector/contracts';
import { workerStart } from '@collector/scan-core/worker-start';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';

/**
 * zxcvbn-ts ships no Russian dictionary (npm has no @zxcvbn-ts/language-ru), so the Russian-speaking part is ours:
 * the passwords and words Russian speakers pick most, in Cyrillic, in transliteration, and as typed with the keyboard
 * left in the Latin layout («пароль» → gfhjkm), plus the words of this service itself.
 */
export const RUSSIAN_WORDS: readonly string[] = [
  // Cyrillic
  'пароль', 'йцукен', 'йцукенгшщз', 'фывапролдж', 'ячсмить', 'привет', 'любовь', 'люблю', 'солнышко', 'котик', 'зайка',
  'наташа', 'настя', 'максим', 'александр', 'сергей', 'андрей', 'дмитрий', 'алексей', 'наталья', 'елена', 'ольга',
  'татьяна', 'ирина', 'светлана', 'марина', 'москва', 'россия', 'спартак', 'зенит', 'пожалуйста', 'секрет', 'школа',
  'учитель', 'директор', 'администратор', 'админ', 'координатор', 'оператор', 'коллектор', 'регион', 'бланк', 'скан',
  'впр', 'нико', 'фисоко', 'огэ', 'егэ', 'мониторинг', 'образование', 'рособрнадзор',
  // transliterated
  'parol', 'privet', 'lubov', 'lyubov', 'solnyshko', 'kotik', 'zaika', 'natasha', 'nastya', 'maksim', 'sergey',
  'andrey', 'dmitriy', 'aleksey', 'natalya', 'elena', 'olga', 'tatyana', 'irina', 'svetlana', 'marina', 'moskva',
  'rossiya', 'rossia', 'spartak', 'zenit', 'shkola', 'uchitel', 'direktor', 'koordinator', 'operator', 'kollektor',
  'collector', 'region', 'blank', 'vpr', 'niko', 'fisoko', 'fis-oko', 'oge', 'ege', 'monitoring', 'obrnadzor',
  // Russian words typed in the Latin layout
  'gfhjkm', 'ghbdtn', 'k.,jdm', 'k.,k.', 'cjkysirj', 'rjnbr', 'pfqrf', 'yfnfif', 'vfrcbv', 'cthutq', 'fyljhtq',
  'vjcrdf', 'hjccbz', 'cgfhnfr', 'ptybn', 'itrhtn', 'irjkf', 'fluvby', 'rjkktrnjh', 'dgh', 'abcjrj',
];

/** What the worker is asked: one password and the words of its account (never logged, never kept). */
export interface EstimateRequest {
  id: number;
  password: string;
  userInputs: string[];
}

export type EstimateReply = { id: number; score: number; warning: string | null; suggestions: string[] } | { id: number; error: string };

type Estimate = Extract<EstimateReply, { score: number }>;

/**
 * zxcvbn's dictionaries and ranked lists cost a process 25–50 MB for good once loaded (the modules' data stays
 * reachable and V8 keeps the heap it grew). They live in a worker thread started with the first password judged (a
 * new user, a reset) and ended after this long without one: its memory goes back to the system with it.
 */
const ESTIMATOR_IDLE_MS = 2_000;

interface Estimator {
  worker: Worker;
  pending: Map<number, { resolve: (estimate: Estimate) => void; reject: (error: Error) => void }>;
  idle: NodeJS.Timeout | null;
}

let estimator: Estimator | null = null;
let nextId = 1;

/**
 * The worker on its module: from the bundle (`pnpm start`) JavaScript beside this file, from the TypeScript sources
 * (tsx, vitest) through tsx, as scan-core's page pool starts its workers.
 */
function startWorker(): Worker {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const start = workerStart(new URL(`./password-strength-worker${extension}`, import.meta.url));
  return new Worker(start.entry, { eval: start.eval });
}

function openEstimator(): Estimator {
  if (estimator) return estimator;
  const opened: Estimator = { worker: startWorker(), pending: new Map(), idle: null };
  const fail = (error: Error) => {
    if (estimator === opened) estimator = null;
    for (const { reject } of opened.pending.values()) reject(error);
    opened.pending.clear();
  };
  opened.worker.on('message', (reply: EstimateReply) => {
    const waiting = opened.pending.get(reply.id);
    if (!waiting) return;
    opened.pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(`password estimate failed: ${reply.error}`));
    else waiting.resolve(reply);
    if (opened.pending.size === 0) {
      // an idle worker keeps no process alive (the CLI exits when its work is done), and ends after a while
      opened.worker.unref();
      opened.idle = setTimeout(() => {
        if (estimator === opened) estimator = null;
        void opened.worker.terminate();
      }, ESTIMATOR_IDLE_MS);
      opened.idle.unref();
    }
  });
  opened.worker.on('error', fail);
  opened.worker.on('exit', (code) => fail(new Error(`the password estimator stopped (exit code ${code})`)));
  estimator = opened;
  return opened;
}

function estimate(password: string, userInputs: string[]): Promise<Estimate> {
  const opened = openEstimator();
  if (opened.idle) clearTimeout(opened.idle);
  opened.idle = null;
  const { worker, pending } = opened;
  worker.ref();
  const id = nextId++;
  const request: EstimateRequest = { id, password, userInputs };
  return new Promise<Estimate>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage(request);
  });
}

/** zxcvbn's own scale: 3 is «safely unguessable: moderate protection from offline slow-hash scenario». */
export const MIN_PASSWORD_SCORE = 3;

const WARNINGS_RU: Record<string, string> = {
  straightRow: 'Подряд идущие клавиши (например, qwerty или йцукен) легко угадать.',
  keyPattern: 'Короткие узоры на клавиатуре легко угадать.',
  simpleRepeat: 'Повторы вроде «aaaaaa» легко угадать.',
  extendedRepeat: 'Повторы вроде «abcabcabc» легко угадать.',
  sequences: 'Последовательности вроде 1234567890 или abcdef легко угадать.',
  recentYears: 'Недавние годы легко угадать.',
  dates: 'Даты легко угадать.',
  topTen: 'Это один из самых частых паролей.',
  topHundred: 'Это очень частый пароль.',
  common: 'Это распространённый пароль.',
  similarToCommon: 'Пароль похож на распространённый.',
  wordByItself: 'Одно слово легко угадать.',
  namesByThemselves: 'Имена и фамилии сами по себе легко угадать.',
  commonNames: 'Распространённые имена и фамилии легко угадать.',
  userInputs: 'В пароле не должно быть логина, имени или названия сервиса.',
  pwned: 'Этот пароль уже утёк в сеть.',
};

const SUGGESTIONS_RU: Record<string, string> = {
  l33t: 'Замены вроде «@» вместо «a» не помогают.',
  reverseWords: 'Слова задом наперёд не помогают.',
  allUppercase: 'Заглавные буквы лучше ставить не везде, а в разных местах.',
  capitalization: 'Заглавная первая буква почти не помогает.',
  dates: 'Не используйте даты, связанные с вами.',
  recentYears: 'Не используйте недавние годы.',
  associatedYears: 'Не используйте годы, связанные с вами.',
  sequences: 'Не используйте последовательности символов.',
  repeated: 'Не повторяйте слова и символы.',
  longerKeyboardPattern: 'Не используйте узоры на клавиатуре.',
  anotherWord: 'Добавьте ещё несколько слов, лучше необычных.',
  useWords: 'Возьмите несколько слов, не связанных между собой, например «сосна-пуговица-ливень».',
  noNeed: '',
  pwned: 'Смените этот пароль везде, где он использовался.',
};

export type PasswordVerdict = { ok: true; score: number } | { ok: false; score: number; reason: string };

/** Words of the account a password must not lean on. */
export interface PasswordContext {
  login?: string | null;
  fullName?: string | null;
  email?: string | null;
}

function contextWords(context: PasswordContext): string[] {
  const words = [context.login, context.fullName, context.email?.split('@')[0]];
  for (const value of [context.login, context.fullName]) {
    // spo_coord_77 → spo, coord, 77; «Иванова И. И.» → иванова
    for (const part of value?.split(/[\s._\-@]+/) ?? []) if (part.length >= 3) words.push(part);
  }
  return words.filter((w): w is string => typeof w === 'string' && w.length > 0).map((w) => w.toLowerCase());
}

function reasonOf(result: Estimate): string {
  const warning = result.warning ? WARNINGS_RU[result.warning] : undefined;
  const suggestion = result.suggestions.map((s) => SUGGESTIONS_RU[s]).find((s) => s !== undefined && s !== '');
  const head = 'Пароль слишком легко подобрать.';
  return [head, warning, suggestion ?? SUGGESTIONS_RU.useWords].filter(Boolean).join(' ');
}

/**
 * The one password rule of the collector (API, command line, seeded admin, reset page): at least
 * PASSWORD_MIN_LENGTH characters, not only spaces, and zxcvbn's estimate at MIN_PASSWORD_SCORE or better.
 */
export async function judgePassword(password: string, context: PasswordContext = {}): Promise<PasswordVerdict> {
  if (password.trim() === '') return { ok: false, score: 0, reason: 'Пароль не может состоять из одних пробелов.' };
  if (password.length < PASSWORD_MIN_LENGTH) return { ok: false, score: 0, reason: `Пароль должен быть не короче ${PASSWORD_MIN_LENGTH} символов.` };
  const result = await estimate(password, contextWords(context));
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score };
  return { ok: false, score: result.score, reason: reasonOf(result) };
}

/** Throws `weak_password` with the Russian reason (also as the `password` field's error) when the rule refuses. */
export async function assertStrongPassword(password: string, context: PasswordContext = {}): Promise<void> {
  const verdict = await judgePassword(password, context);
  if (!verdict.ok) throw new AppError('weak_password', { detail: verdict.reason, fieldErrors: [{ path: 'body.password', message: verdict.reason }] });
}
