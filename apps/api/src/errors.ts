import { ARCHIVE_CODE_TEXT, type ErrorCode, type Problem } from '@collector/contracts';

interface CatalogueEntry {
  status: number;
  /** Russian text shown to the person */
  title: string;
}

/** The one catalogue of API errors: stable code → HTTP status and Russian text. */
export const ERRORS: Record<ErrorCode, CatalogueEntry> = {
  validation_failed: { status: 400, title: 'Проверьте введённые данные' },
  unauthenticated: { status: 401, title: 'Войдите в систему' },
  invalid_credentials: { status: 401, title: 'Неверный логин или пароль' },
  account_disabled: { status: 403, title: 'Учётная запись отключена. Обратитесь к администратору' },
  too_many_attempts: { status: 429, title: 'Слишком много неудачных попыток входа. Повторите позже' },
  forbidden: { status: 403, title: 'Недостаточно прав' },
  not_found: { status: 404, title: 'Не найдено' },
  conflict: { status: 409, title: 'Конфликт с текущим состоянием данных' },
  login_taken: { status: 409, title: 'Пользователь с таким логином уже существует' },
  region_required: { status: 400, title: 'Для координатора и оператора нужно указать регион' },
  region_not_allowed: { status: 400, title: 'У администратора не может быть региона' },
  reset_token_invalid: { status: 400, title: 'Ссылка для сброса пароля недействительна или устарела. Запросите новую' },
  weak_password: { status: 400, title: 'Пароль слишком легко подобрать. Придумайте другой' },
  origin_not_allowed: { status: 403, title: 'Запрос отправлен с другого сайта и отклонён. Откройте Коллектор по его адресу и повторите' },
  region_unknown: { status: 400, title: 'Такого региона нет в справочнике регионов' },
  region_exists: { status: 409, title: 'Регион с таким кодом уже есть' },
  request_timeout: { status: 408, title: 'Запрос шёл слишком долго. Повторите' },
  headers_too_large: { status: 431, title: 'Слишком большие заголовки запроса' },
  service_unavailable: { status: 503, title: 'Сервер перезапускается. Повторите через минуту' },
  oidc_not_configured: { status: 404, title: 'Вход через ФИС ОКО не настроен' },
  oidc_failed: { status: 502, title: 'Не удалось войти через ФИС ОКО. Попробуйте ещё раз' },
  oidc_user_unknown: { status: 403, title: 'Учётная запись ФИС ОКО не зарегистрирована в системе. Обратитесь к администратору' },
  payload_too_large: { status: 413, title: 'Слишком большой запрос' },
  internal_error: { status: 500, title: 'Внутренняя ошибка сервера. Попробуйте позже' },
  archive_too_large: { status: 413, title: ARCHIVE_CODE_TEXT.archive_too_large },
  not_zip: { status: 422, title: ARCHIVE_CODE_TEXT.not_zip },
  multipart_archive: { status: 422, title: ARCHIVE_CODE_TEXT.multipart_archive },
  password_required: { status: 422, title: ARCHIVE_CODE_TEXT.password_required },
  wrong_password: { status: 422, title: ARCHIVE_CODE_TEXT.wrong_password },
  corrupt_archive: { status: 422, title: ARCHIVE_CODE_TEXT.corrupt_archive },
  zip_bomb: { status: 422, title: ARCHIVE_CODE_TEXT.zip_bomb },
  empty_archive: { status: 422, title: ARCHIVE_CODE_TEXT.empty_archive },
  registry_invalid: { status: 422, title: 'Реестр не загружен: в файле есть ошибки. Исправьте их и загрузите файл снова' },
};

/** An expected failure with a catalogue code; the error handler turns it into problem+json. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly fieldErrors: Problem['errors'];
  constructor(code: ErrorCode, options: { detail?: string; headers?: Record<string, string>; fieldErrors?: Problem['errors'] } = {}) {
    super(options.detail ?? ERRORS[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.fieldErrors = options.fieldErrors;
  }
}

export function toProblem(code: ErrorCode, detail?: string, instance?: string, errors?: Problem['errors']): Problem {
  const entry = ERRORS[code];
  return {
    type: `urn:collector:error:${code}`,
    title: entry.title,
    status: entry.status,
    code,
    ...(detail !== undefined ? { detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...(errors ? { errors } : {}),
  };
}
