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

/**
 * One API call. Cookies go along (same origin); a state-changing call echoes the `mp_csrf`
 * cookie in `x-csrf-token`, the double-submit check the server makes for cookie sessions.
 * Resolves with the response when it is 2xx, otherwise throws ApiProblem or ApiUnreachable.
 */
async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  if (body !== undefined) headers.set('content-type', 'application/json');
  if (!safeMethods.has(method)) {
    const csrf = readCookie(csrfCookieName);
    if (csrf) headers.set(csrfHeaderName, csrf);
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiUnreachable({ cause });
  }
  if (response.ok) return response;
  throw await problemFrom(response);
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

async function getJson<T>(path: string): Promise<T> {
  return (await send('GET', path)).json() as Promise<T>;
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await send('POST', path, body)).json() as Promise<T>;
}

export const api = {
  /** Sets the `mp_session` and `mp_csrf` cookies. The web app never needs the token itself. */
  login: (body: LoginBody) => postJson<LoginResponse>('/api/auth/login', body),

  /** Creates a driver account. It does not sign in. */
  register: (body: RegisterBody) => postJson<RegisterResponse>('/api/auth/register', body),

  logout: async (): Promise<void> => {
    await send('POST', '/api/auth/logout');
  },

  /** The signed-in person, or null when nobody is signed in (a 401 is an answer, not an error). */
  me: async (): Promise<Me | null> => {
    try {
      return await getJson<Me>('/api/me');
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) return null;
      throw error;
    }
  },
};
