import type { ApiError } from '../../../shared/api/api-error.ts';

/**
 * Why a sign-in through ФИС ОКО came back to /login?error=<code>. The code arrives in the URL,
 * so only known codes get their own text and anything else gets a general one.
 */
export function oidcErrorMessage(code: string): string {
  switch (code) {
    case 'oidc_user_unknown':
      return 'Учетная запись ФИС ОКО не найдена среди пользователей коллектора. Обратитесь к администратору или войдите по логину и паролю.';
    case 'oidc_not_configured':
      return 'Вход с учетной записью ФИС ОКО не настроен. Войдите по логину и паролю.';
    case 'account_disabled':
      return 'Учетная запись отключена. Обратитесь к администратору.';
    default:
      return 'Не удалось войти с учетной записью ФИС ОКО. Попробуйте ещё раз или войдите по логину и паролю.';
  }
}

/**
 * The text for a failed password sign-in: the server's Russian words. Only when a 429 came
 * without them (a proxy in between, say) is the wait composed here from Retry-After.
 */
export function loginErrorMessage(error: ApiError): string {
  if (error.code === 'too_many_attempts' && error.detail === undefined && error.retryAfterSeconds !== undefined) {
    return `Слишком много неудачных попыток входа. Повторите через ${formatSeconds(error.retryAfterSeconds)}.`;
  }
  return error.userMessage;
}

const secondsFormat = new Intl.NumberFormat('ru-RU', { style: 'unit', unit: 'second', unitDisplay: 'long' });
const minutesFormat = new Intl.NumberFormat('ru-RU', { style: 'unit', unit: 'minute', unitDisplay: 'long' });

/** «45 секунд», «2 минуты»: Intl picks the Russian plural form. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return secondsFormat.format(seconds);
  return minutesFormat.format(Math.ceil(seconds / 60));
}

/** Only same-site paths may be a destination after sign-in, never `//evil.example`. */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
