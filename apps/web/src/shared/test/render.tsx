import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, vi } from 'vitest';

/*
 * A few helpers over react-dom and the DOM, enough for tests that find things the way a person
 * does (by label, by role, by text) without pulling a testing library into the workspace.
 */

const roots: Root[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) act(() => root.unmount());
});

export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

export async function render(ui: ReactNode, queryClient: QueryClient = createTestQueryClient()) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  roots.push(root);
  await act(async () => root.render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>));
  return { container, queryClient };
}

/** The form control whose <label> reads exactly `text`, as assistive technology would find it. */
export function getByLabel(text: string): HTMLInputElement | HTMLSelectElement {
  const label = [...document.querySelectorAll('label')].find((candidate) => candidate.textContent.trim() === text);
  const control = label ? document.getElementById(label.htmlFor) : null;
  if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) throw new Error(`No control labelled «${text}»`);
  return control;
}

export function queryButton(name: string): HTMLElement | null {
  const candidates = [...document.querySelectorAll<HTMLElement>('button, a')];
  return candidates.find((element) => element.textContent.trim() === name) ?? null;
}

export function getButton(name: string): HTMLElement {
  const button = queryButton(name);
  if (button === null) throw new Error(`No button or link «${name}»`);
  return button;
}

export function alerts(): string[] {
  return [...document.querySelectorAll('[role="alert"]')].map((element) => element.textContent.trim());
}

export async function type(control: HTMLInputElement | HTMLSelectElement, value: string): Promise<void> {
  // React tracks the value it last rendered; the native setter makes the change visible to it.
  const prototype = control instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLSelectElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
  await act(async () => {
    setter?.call(control, value);
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}

export async function click(element: HTMLElement): Promise<void> {
  await act(async () => element.click());
}

/**
 * Polls until the assertion holds. Like Testing Library's async utilities, it lifts the act()
 * environment while waiting: responses land whenever they land, and React flushes them itself.
 */
export async function waitFor(assertion: () => void): Promise<void> {
  const scope = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const previous = scope.IS_REACT_ACT_ENVIRONMENT;
  scope.IS_REACT_ACT_ENVIRONMENT = false;
  try {
    await vi.waitFor(assertion, { timeout: 2000, interval: 10 });
  } finally {
    scope.IS_REACT_ACT_ENVIRONMENT = previous;
  }
}

type Handler = (request: { body: unknown; url: URL }) => Response | Promise<Response>;

/**
 * Replaces fetch with a table of `METHOD /path` handlers. An unexpected request fails the test
 * loudly instead of hanging, and every request is recorded for assertions.
 */
export function stubApi(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname, body });
    const handler = handlers[`${method} ${url.pathname}`];
    if (handler === undefined) throw new Error(`Unexpected request ${method} ${url.pathname}`);
    return handler({ body, url });
  });
  vi.stubGlobal('fetch', fetchStub);
  return { calls };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function problem(status: number, code: string, title: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: `urn:collector:error:${code}`, title, status, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}
