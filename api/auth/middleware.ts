import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors';
import type { AppEnv, SessionUser } from '../http/env';
import type { Role } from './auth.schemas';
import { resolveSession } from './sessions';
import { sameSecret } from './tokens';

export const SESSION_COOKIE = 'mp_session';
export const CSRF_COOKIE = 'mp_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Signing out must always work, even after the CSRF cookie is gone; forging it harms no one. */
const CSRF_EXEMPT = new Set(['/api/auth/logout']);

export function sessionToken(authorization: string | undefined, cookie: string | undefined) {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { token: bearer, via: 'bearer' as const };
  if (cookie) return { token: cookie, via: 'cookie' as const };
  return null;
}

/**
 * Reads the session from `Authorization: Bearer` or the session cookie. A request signed in by
 * cookie that changes state must echo the session's CSRF token in `x-csrf-token` (the web app
 * reads it from the `mp_csrf` cookie); bearer clients are not exposed to CSRF.
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  c.set('user', null);
  c.set('authVia', null);
  const found = sessionToken(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
  if (found) {
    const session = await resolveSession(c.get('db'), found.token, c.get('clock').now());
    if (session) {
      if (found.via === 'cookie' && !SAFE_METHODS.has(c.req.method) && !CSRF_EXEMPT.has(c.req.path)) {
        const sent = c.req.header(CSRF_HEADER);
        if (!sent || !sameSecret(sent, session.csrfToken)) {
          throw new AppError('csrf_failed', `send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header`);
        }
      }
      c.set('user', session.user);
      c.set('authVia', found.via);
    }
  }
  await next();
});

/** The guard every protected route uses: 401 when signed out, 403 for the wrong role. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv & { Variables: { user: SessionUser } }>(async (c, next) => {
    const user = c.get('user');
    if (!user) throw new AppError('unauthenticated', 'sign in, or send a valid session token');
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new AppError('forbidden', `this needs the ${roles.join(' or ')} role; you are signed in as ${user.role}`);
    }
    await next();
  });
}

/** Any signed-in user. */
export const requireUser = requireRole();

/** The signed-in user, for handlers behind `requireRole`. */
export function currentUser(c: { get: Context<AppEnv>['get'] }): SessionUser {
  const user = c.get('user');
  if (!user) throw new AppError('unauthenticated');
  return user;
}
