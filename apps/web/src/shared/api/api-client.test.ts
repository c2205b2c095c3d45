import { MeResponseSchema } from '@collector/contracts';
import { describe, expect, it, vi } from 'vitest';
import { makeUser } from '../test/fixtures.ts';
import { json, problem } from '../test/render.tsx';
import { apiRequest, apiRequestNoContent, parseRetryAfter } from './api-client.ts';
import { ApiError } from './api-error.ts';

function answer(response: Response) {
  const fetchStub = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => response);
  vi.stubGlobal('fetch', fetchStub);
  return fetchStub;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('apiRequest', () => {
  it('returns the body checked against the contract and sends JSON on the same origin', async () => {
    const user = makeUser();
    const fetchStub = answer(json(200, { user: { ...user, passwordHash: 'never shown' } }));

    const result = await apiRequest('/api/auth/login', MeResponseSchema, { method: 'POST', body: { login: 'a', password: 'b' } });

    expect(result).toEqual({ user });
    const [path, init] = fetchStub.mock.calls[0] ?? [];
    expect(path).toBe('/api/auth/login');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
    expect(init?.body).toBe('{"login":"a","password":"b"}');
  });

  it('turns a problem document into an ApiError carrying its code and Russian text', async () => {
    answer(problem(401, 'invalid_credentials', 'Неверный логин или пароль'));

    const error = await failure(apiRequest('/api/auth/login', MeResponseSchema, { method: 'POST', body: {} }));

    expect(error.code).toBe('invalid_credentials');
    expect(error.status).toBe(401);
    expect(error.userMessage).toBe('Неверный логин или пароль');
  });

  it('prefers the detail over the title and keeps field errors and Retry-After', async () => {
    answer(
      problem(
        429,
        'too_many_attempts',
        'Слишком много неудачных попыток входа. Повторите позже',
        { detail: 'Слишком много неудачных попыток входа. Повторите через 42 с.', errors: [{ path: 'login', message: 'x' }] },
        { 'retry-after': '42' },
      ),
    );

    const error = await failure(apiRequest('/api/auth/login', MeResponseSchema, { method: 'POST', body: {} }));

    expect(error.code).toBe('too_many_attempts');
    expect(error.userMessage).toBe('Слишком много неудачных попыток входа. Повторите через 42 с.');
    expect(error.retryAfterSeconds).toBe(42);
    expect(error.fieldErrors).toEqual([{ path: 'login', message: 'x' }]);
  });

  it('keeps the Russian text of a problem whose code this build does not know', async () => {
    answer(problem(422, 'some_future_code', 'Новая ошибка', { detail: 'Подробности новой ошибки' }));

    const error = await failure(apiRequest('/api/uploads', MeResponseSchema));

    expect(error.code).toBe('bad_response');
    expect(error.status).toBe(422);
    expect(error.userMessage).toBe('Подробности новой ошибки');
  });

  it('reports a non-JSON error page (a proxy 502) in Russian, not as raw HTML', async () => {
    answer(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));

    const error = await failure(apiRequest('/api/users', MeResponseSchema));

    expect(error.code).toBe('bad_response');
    expect(error.status).toBe(502);
    expect(error.userMessage).toMatch(/^Сервер не смог выполнить запрос/);
  });

  it('maps a bare 401 to unauthenticated so the app can show the login page', async () => {
    answer(new Response('', { status: 401 }));
    const error = await failure(apiRequest('/api/auth/me', MeResponseSchema));
    expect(error.code).toBe('unauthenticated');
  });

  it('reports a dropped connection as network_error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const error = await failure(apiRequest('/api/auth/me', MeResponseSchema));
    expect(error.code).toBe('network_error');
    expect(error.userMessage).toMatch(/Нет связи с сервером/);
  });

  it('rejects a 200 whose body breaks the contract instead of passing it on', async () => {
    answer(json(200, { user: { login: 'admin' } }));
    const error = await failure(apiRequest('/api/auth/me', MeResponseSchema));
    expect(error.code).toBe('bad_response');
  });

  it('accepts an empty 204 where no body is expected', async () => {
    answer(new Response(null, { status: 204 }));
    await expect(apiRequestNoContent('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
