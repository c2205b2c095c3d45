import { ProblemSchema } from '@collector/contracts';
import { ApiError } from './api-error.ts';
import type { ApiErrorCode } from './api-error.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The part of a zod schema the client needs; keeps zod itself out of the web app's dependencies. */
export type ResponseSchema<T> = {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
};

export type ApiRequest = {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal | undefined;
};

/**
 * The one place the web app talks HTTP. Same origin, so the session cookie travels by itself.
 * Failures become an ApiError whose `code` components switch on; successes are checked
 * against the contract so a drifting server fails loudly here, not deep inside a component.
 */
export async function apiRequest<T>(path: string, schema: ResponseSchema<T>, request: ApiRequest = {}): Promise<T> {
  const response = await send(path, request);
  const parsed = schema.safeParse(await readJson(response));
  if (!parsed.success) throw badResponse(response.status);
  return parsed.data;
}

/** For endpoints that answer 204 / a body nobody needs. */
export async function apiRequestNoContent(path: string, request: ApiRequest = {}): Promise<void> {
  await send(path, request);
}

async function send(path: string, { method = 'GET', body, signal }: ApiRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  // a FormData body (a file) sets its own multipart content type with the boundary
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      code: 'network_error',
      status: 0,
      title: 'Нет связи с сервером',
      detail: 'Нет связи с сервером. Проверьте подключение к сети и попробуйте ещё раз.',
    });
  }

  if (!response.ok) throw await problemFrom(response);
  return response;
}

/**
 * Turns a failed answer into an ApiError. A valid problem document gives its own code; a body
 * that is problem-like but carries a code this build does not know yet still lends its Russian
 * text, so a newer server never leaves the person with a bare status number.
 */
export async function problemFrom(response: Response): Promise<ApiError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const json = await readJson(response);
  const problem = ProblemSchema.safeParse(json);
  if (problem.success) return ApiError.fromProblem(problem.data, retryAfterSeconds);
  const loose = isRecord(json) ? json : {};
  const title = typeof loose['title'] === 'string' ? loose['title'] : `Сервер ответил ошибкой (${response.status})`;
  const detail =
    typeof loose['detail'] === 'string' ? loose['detail'] : 'Сервер не смог выполнить запрос. Попробуйте ещё раз немного позже.';
  return new ApiError({ code: fallbackCode(response.status), status: response.status, title, detail, retryAfterSeconds });
}

function fallbackCode(status: number): ApiErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_attempts';
  return 'bad_response';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function badResponse(status: number): ApiError {
  return new ApiError({
    code: 'bad_response',
    status,
    title: 'Непонятный ответ сервера',
    detail: 'Сервер прислал ответ в неожиданном формате. Обновите страницу; если ошибка повторится, сообщите администратору.',
  });
}
