import { MemoryRouter, Route, createMemoryHistory, useLocation } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import { Suspense, type Component } from 'solid-js';
import { vi } from 'vitest';
import { SessionProvider } from '../../../web/src/session/session';

type Json = unknown;
interface Reply {
  __reply: true;
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}
type Handler = (request: { url: URL; method: string; body: unknown; headers: Headers }) =>
  | Json
  | Promise<Json>;

/** A reply with a status (a problem, say) rather than a plain 200 with JSON. */
export function reply(status: number, body?: Json, headers?: Record<string, string>): Reply {
  return { status, body, headers, __reply: true };
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && '__reply' in value;
}

export interface FakeApi {
  /** Every call made, in order: "POST /api/redemptions" and what it carried. */
  calls: { method: string; path: string; body: unknown; headers: Headers }[];
}

/**
 * Replaces fetch with the given routes, keyed "METHOD /path" (no query string). A route returns
 * JSON for a 200, or `reply(status, body)`. A call to an unknown route fails the test loudly.
 */
export function fakeApi(routes: Record<string, Handler>): FakeApi {
  const api: FakeApi = { calls: [] };
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const raw = init.body;
    const body = typeof raw === 'string' ? JSON.parse(raw) : raw;
    api.calls.push({ method, path: url.pathname + url.search, body, headers });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) throw new Error(`fakeApi: no route for ${method} ${url.pathname}`);
    const result = await handler({ url, method, body, headers });
    const status = isReply(result) ? result.status : 200;
    const payload = isReply(result) ? result.body : result;
    const extra = isReply(result) ? (result.headers ?? {}) : {};
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(payload === undefined ? null : JSON.stringify(payload), {
      status,
      headers: { 'content-type': type, ...extra },
    });
  });
  return api;
}

/** A problem+json body as the API sends it. */
export function problem(status: number, title: string, detail?: string, type = 'about:blank') {
  return reply(status, { type, title, status, detail });
}

/**
 * Renders `page` at `url` inside the router and the session, as the app would. Give the
 * route `path` when the page reads params (e.g. "/vouchers/:id").
 */
export function renderPage(page: Component, options: { url: string; path?: string }) {
  const history = createMemoryHistory();
  history.set({ value: options.url });
  return render(() => (
    <MemoryRouter
      history={history}
      root={(props) => (
        <SessionProvider>
          <Suspense>{props.children}</Suspense>
        </SessionProvider>
      )}
    >
      <Route path={options.path ?? new URL(options.url, 'http://x').pathname} component={page} />
      <Route path="*rest" component={Elsewhere} />
    </MemoryRouter>
  ));
}

/** Where a page navigated to, when it left: "elsewhere: /login?next=…". */
function Elsewhere() {
  const location = useLocation();
  return <p>elsewhere: {location.pathname + location.search}</p>;
}
