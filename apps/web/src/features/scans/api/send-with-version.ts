import { problemFrom } from '../../../shared/api/api-client.ts';
import type { ResponseSchema } from '../../../shared/api/api-client.ts';
import { ApiError } from '../../../shared/api/api-error.ts';

/**
 * A correction carries the version the person saw as If-Match (the shared client sends no custom headers): a scan
 * someone else changed meanwhile is refused with 409 instead of being overwritten.
 */
export async function sendWithVersion<T>(path: string, method: 'PATCH' | 'DELETE', version: number, schema: ResponseSchema<T>, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'if-match': `"${version}"`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ code: 'network_error', status: 0, title: 'Нет связи с сервером', detail: 'Нет связи с сервером. Проверьте подключение к сети и попробуйте ещё раз.' });
  }
  if (!response.ok) throw await problemFrom(response);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new ApiError({ code: 'bad_response', status: response.status, title: 'Непонятный ответ сервера' });
  return parsed.data;
}
