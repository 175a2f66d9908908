import { action, createAsync, query, redirect, revalidate } from '@solidjs/router';
import { onCleanup, type Accessor, type JSX } from 'solid-js';
import type { Me } from '../../../api/auth/auth.schemas';
import { ApiProblem, SESSION_ENDED_EVENT, api } from '../api/client';
import { createNamedContext } from '../lib/named-context';

/** Who is signed in: `null` when nobody is, `undefined` while the first answer is on its way. */
export const getMe = query(() => api.me(), 'me');

export interface Session {
  user: Accessor<Me | null | undefined>;
}

const SessionContext = createNamedContext<Session>('Session');

export function SessionProvider(props: { children: JSX.Element }) {
  const user = createAsync(() => getMe());
  // A request refused for want of a session (it expired mid-shift, or was signed out elsewhere):
  // asking again who is signed in lets RequireRole send the person to sign in, and back after.
  const ended = () => void revalidate(getMe.key);
  window.addEventListener(SESSION_ENDED_EVENT, ended);
  onCleanup(() => window.removeEventListener(SESSION_ENDED_EVENT, ended));
  return <SessionContext.Provider value={{ user }}>{props.children}</SessionContext.Provider>;
}

export const useSession = SessionContext.use;

// Actions receive URLSearchParams from a plain <form method="post"> and FormData from a
// multipart one; both answer `get`.
type FormFields = FormData | URLSearchParams;

function text(form: FormFields, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** People type phone numbers with spaces and dashes; the API wants digits (and maybe a +). */
function phone(form: FormFields): string {
  return text(form, 'phone').replace(/[\s\-()]/g, '');
}

/** Where to go after signing in: only a path on this site, never another origin. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}

export const login = action(async (form: FormFields) => {
  await api.login({ phone: phone(form), password: text(form, 'password') });
  throw redirect(safeNext(text(form, 'next')), { revalidate: getMe.key });
}, 'login');

/** Creates the driver account, then signs in with the same phone and password. */
export const register = action(async (form: FormFields) => {
  const credentials = { phone: phone(form), password: text(form, 'password') };
  await api.register({
    ...credentials,
    name: text(form, 'name'),
    plateNumber: text(form, 'plateNumber'),
  });
  await api.login(credentials);
  throw redirect('/', { revalidate: getMe.key });
}, 'register');

export const logout = action(async () => {
  try {
    await api.logout();
  } catch (error) {
    // A 401 means the session had already ended: the person is signed out either way.
    if (!(error instanceof ApiProblem && error.status === 401)) throw error;
  }
  throw redirect('/', { revalidate: getMe.key });
}, 'logout');
