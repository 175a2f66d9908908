import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { users } from '../../db/schema/index';
import { audit } from '../audit/audit';
import { AppError } from '../errors';
import { clientIp } from '../http/client-ip';
import { authProblems, createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import {
  CreateCommitteeBody,
  LoginBody,
  LoginResponse,
  Me,
  RegisterBody,
  RegisterResponse,
  UserRef,
} from './auth.schemas';
import { createUser, login, registerDriver } from './auth.service';
import { CSRF_COOKIE, currentUser, requireRole, requireUser, SESSION_COOKIE, sessionToken } from './middleware';
import { endSession } from './sessions';


const registerRoute = createRoute({
  method: 'post',
  path: '/auth/register',
  tags: ['auth'],
  summary: 'Register as a driver',
  description: 'Creates a driver account and its points wallet. Sign in afterwards with the same phone and password.',
  request: { body: jsonBody(RegisterBody) },
  responses: { 201: jsonContent(RegisterResponse, 'The new driver'), ...problems(409) },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in',
  description:
    'Returns an opaque session token (for `Authorization: Bearer`) and sets the httpOnly `mp_session` cookie plus the ' +
    'readable `mp_csrf` cookie for the web app. Failed attempts are throttled per phone and per client address.',
  request: { body: jsonBody(LoginBody) },
  responses: { 200: jsonContent(LoginResponse, 'Signed in'), ...problems(401, 429) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out',
  description: 'Ends the current session and clears the cookies. Signing out when not signed in is not an error.',
  security: signedIn,
  responses: { 204: { description: 'Signed out' }, ...problems(403) },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'Who am I',
  security: signedIn,
  middleware: [requireUser] as const,
  responses: { 200: jsonContent(Me, 'The signed-in user'), ...authProblems },
});

const createCommitteeRoute = createRoute({
  method: 'post',
  path: '/committee/members',
  tags: ['auth'],
  summary: 'Add a committee member',
  security: signedIn,
  middleware: [requireRole('committee')] as const,
  request: { body: jsonBody(CreateCommitteeBody) },
  responses: { 201: jsonContent(z.object({ user: UserRef }), 'The new committee member'), ...problems(401, 403, 409) },
});

export const authRoutes = createRouter()
  .openapi(registerRoute, async (c) => {
    const user = await registerDriver(c.get('db'), c.req.valid('json'));
    return c.json({ user }, 201);
  })
  .openapi(loginRoute, async (c) => {
    const body = c.req.valid('json');
    const config = c.get('config');
    const clock = c.get('clock');
    const { session, user } = await login(c.get('db'), config, clock.now(), { ...body, ip: clientIp(c) });
    const maxAge = config.session.ttlHours * 3600;
    const secure = config.session.cookieSecure;
    setCookie(c, SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge, secure });
    setCookie(c, CSRF_COOKIE, session.csrfToken, { httpOnly: false, sameSite: 'Strict', path: '/', maxAge, secure });
    return c.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const found = sessionToken(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
    if (found) await endSession(c.get('db'), found.token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .openapi(meRoute, async (c) => {
    const me = currentUser(c);
    const [row] = await c.get('db')
      .select({ plateNumber: users.plateNumber })
      .from(users)
      .where(eq(users.id, me.id));
    if (!row) throw new AppError('unauthenticated', 'this account no longer exists');
    return c.json({ ...me, plateNumber: row.plateNumber }, 200);
  })
  .openapi(createCommitteeRoute, async (c) => {
    const actor = currentUser(c);
    const body = c.req.valid('json');
    const user = await c.get('db').transaction(async (tx) => {
      const created = await createUser(tx, { role: 'committee', ...body });
      await audit(tx, {
        actorId: actor.id,
        action: 'committee.member.create',
        targetType: 'user',
        targetId: created.id,
        after: { phone: body.phone, name: body.name, role: 'committee' },
        at: c.get('clock').now(),
      });
      return created;
    });
    return c.json({ user }, 201);
  });
