// Types only: the zod schemas stay on the server and nothing of zod reaches the bundle.
import type {
  LoginBody,
  LoginResponse,
  Me,
  RegisterBody,
  RegisterResponse,
} from '../../../api/auth/auth.schemas';

/** One entry of a problem's `errors[]`: which input (`path`, e.g. "phone") and what is wrong. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as every API error is sent (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

/** The API answered with an error. Carries the problem details and, for 429, when to retry. */
export class ApiProblem extends Error implements ProblemDetails {
  override name = 'ApiProblem';
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors: ProblemFieldError[];
  /** From the `Retry-After` header, when the server sent one. */
  readonly retryAfterSeconds?: number;

  constructor(problem: ProblemDetails, retryAfterSeconds?: number) {
    super(problem.detail || problem.title);
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The problem type's last part: `https://milepost.dev/problems/out-of-stock` → `out-of-stock`; undefined for anything else. */
export function problemCode(error: unknown): string | undefined {
  return error instanceof ApiProblem ? error.type.split('/').pop() : undefined;
}

/** No answer from the API at all: offline, DNS, connection refused, or a gateway in between. */
export class ApiUnreachable extends Error {
  override name = 'ApiUnreachable';
  constructor(options?: { cause?: unknown }) {
    super("Can't reach Milepost", options);
  }
}

const csrfCookieName = 'mp_csrf';
const csrfHeaderName = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of a JS-readable cookie, decoded as the server's cookie helpers encode it. */
export function readCookie(name: string): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const raw = pair.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Appended as `?name=value`; null, undefined and '' are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as `Idempotency-Key`: the server answers a repeat with the first result. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** `path` with its query string; empty values are dropped so filters read naturally. */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * One API call. Cookies go along (same origin); a state-changing call echoes the `mp_csrf`
 * cookie in `x-csrf-token`, the double-submit check the server makes for cookie sessions.
 * A FormData body goes as multipart (the browser writes the boundary); anything else as JSON.
 * Resolves with the response when it is 2xx, otherwise throws ApiProblem or ApiUnreachable.
 */
async function send(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<Response> {
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers.set('content-type', 'application/json');
  if (!safeMethods.has(method)) {
    const csrf = readCookie(csrfCookieName);
    if (csrf) headers.set(csrfHeaderName, csrf);
  }
  if (options.idempotencyKey) headers.set('idempotency-key', options.idempotencyKey);

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiUnreachable({ cause });
  }
  if (response.ok) return response;
  // The session ended (expired, signed out elsewhere): whoever shows who is signed in asks again.
  if (response.status === 401 && path !== '/api/me' && path !== '/api/auth/login') window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
  throw await problemFrom(response);
}

/** Dispatched on `window` when a request is refused for want of a session. */
export const SESSION_ENDED_EVENT = 'milepost:session-ended';

async function json<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  return response.json() as Promise<T>;
}

/** Typed calls; each area's api module names its endpoints with the server's schema types. */
export const http = {
  get: async <T>(path: string, options?: RequestOptions): Promise<T> =>
    json<T>(await send('GET', path, undefined, options)),
  post: async <T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> =>
    json<T>(await send('POST', path, body, options)),
  put: async <T>(path: string, body: unknown, options?: RequestOptions): Promise<T> =>
    json<T>(await send('PUT', path, body, options)),
  patch: async <T>(path: string, body: unknown, options?: RequestOptions): Promise<T> =>
    json<T>(await send('PATCH', path, body, options)),
  /** A file the server makes (a CSV statement, say), for the browser to save. */
  blob: async (path: string, options?: RequestOptions): Promise<Blob> =>
    (await send('GET', path, undefined, options)).blob(),
};

/** A fresh key for one intent (one redemption, one claim); reuse it for every retry of it. */
export function newIdempotencyKey(): string {
  // randomUUID needs a secure context; a phone on the LAN over http has only getRandomValues.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isTransient(error: unknown): boolean {
  return error instanceof ApiUnreachable || (error instanceof ApiProblem && error.status === 503);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` again when the connection drops or the server is briefly unavailable, with growing
 * pauses. Only for calls that carry an Idempotency-Key (or only read): the server answers a
 * repeat with the first result, so a flaky phone connection never redeems twice.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  { attempts = 4, firstDelayMs = 400 }: { attempts?: number; firstDelayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await wait(firstDelayMs * 2 ** (attempt - 1));
    }
  }
}

async function problemFrom(response: Response): Promise<ApiProblem | ApiUnreachable> {
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  const contentType = response.headers.get('content-type') ?? '';
  if (/^application\/(problem\+)?json/i.test(contentType)) {
    const parsed: unknown = await response.json().catch(() => undefined);
    if (isProblem(parsed)) return new ApiProblem(parsed, retryAfter);
  }
  // Not from our API: a gateway or the dev proxy saying the API is down or out of reach.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new ApiUnreachable({ cause: `HTTP ${response.status}` });
  }
  const title = response.statusText || `HTTP ${response.status}`;
  return new ApiProblem({ type: 'about:blank', title, status: response.status }, retryAfter);
}

function isProblem(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.title !== 'string' || typeof v.status !== 'number') return false;
  if (v.detail !== undefined && typeof v.detail !== 'string') return false;
  if (v.errors === undefined) return true;
  return (
    Array.isArray(v.errors) &&
    v.errors.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as ProblemFieldError).path === 'string' &&
        typeof (e as ProblemFieldError).message === 'string',
    )
  );
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number.parseInt(header, 10);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export const api = {
  /** Sets the `mp_session` and `mp_csrf` cookies. The web app never needs the token itself. */
  login: (body: LoginBody) => http.post<LoginResponse>('/api/auth/login', body),

  /** Creates a driver account. It does not sign in. */
  register: (body: RegisterBody) => http.post<RegisterResponse>('/api/auth/register', body),

  logout: async (): Promise<void> => {
    await send('POST', '/api/auth/logout');
  },

  /** The signed-in person, or null when nobody is signed in (a 401 is an answer, not an error). */
  me: async (): Promise<Me | null> => {
    try {
      return await http.get<Me>('/api/me');
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return null;
      throw error;
    }
  },
};
