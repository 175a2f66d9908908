import { createRoute, type z } from '@hono/zod-openapi';
import { requireRole } from '../auth/middleware';
import { createRouter, jsonContent, problems, signedIn } from '../http/openapi';
import { walletOf } from '../ledger/accounts';
import { PageQuery, Statement } from '../ledger/ledger.schemas';
import { statement } from '../ledger/reads';
import { DriverIdParam, DriverPage, DriverProfile, DriverSearchQuery } from './drivers.schemas';
import { driverProfile, requireDriver } from './profile';
import { searchDrivers } from './search';

const committeeOnly = requireRole('committee');

const searchRoute = createRoute({
  method: 'get',
  path: '/drivers',
  tags: ['drivers'],
  summary: 'Find drivers by name, phone or plate',
  description: 'Partial and case-insensitive; spaces and `·` in plate numbers are ignored. Without `q`, every driver. Sorted by name.',
  security: signedIn,
  middleware: committeeOnly,
  request: { query: DriverSearchQuery },
  responses: { 200: jsonContent(DriverPage, 'One page of drivers'), ...problems(401, 403) },
});

const profileRoute = createRoute({
  method: 'get',
  path: '/drivers/{id}',
  tags: ['drivers'],
  summary: "A driver's profile, wallet, grade and recent activities",
  security: signedIn,
  middleware: committeeOnly,
  request: { params: DriverIdParam },
  responses: { 200: jsonContent(DriverProfile, 'The driver'), ...problems(401, 403, 404) },
});

const statementRoute = createRoute({
  method: 'get',
  path: '/drivers/{id}/statement',
  tags: ['drivers'],
  summary: "A driver's statement, newest first, with the running balance",
  description: 'The same lines the driver sees at GET /me/statement.',
  security: signedIn,
  middleware: committeeOnly,
  request: { params: DriverIdParam, query: PageQuery },
  responses: { 200: jsonContent(Statement, 'One page of the statement'), ...problems(401, 403, 404) },
});

export const driverRoutes = createRouter()
  .openapi(searchRoute, async (c) => c.json(await searchDrivers(c.get('db'), c.req.valid('query')), 200))
  .openapi(profileRoute, async (c) => c.json(await driverProfile(c.get('db'), c.req.valid('param').id), 200))
  .openapi(statementRoute, async (c) => {
    const { id } = c.req.valid('param');
    await requireDriver(c.get('db'), id);
    const wallet = await walletOf(c.get('db'), id);
    if (!wallet) return c.json({ lines: [], nextCursor: null }, 200);
    const page = await statement(c.get('db'), wallet, c.req.valid('query'));
    const lines: z.infer<typeof Statement>['lines'] = page.lines.map((l) => ({
      ...l,
      amount: l.amount.toFixed(2),
      balanceAfter: l.balanceAfter ? l.balanceAfter.toFixed(2) : null,
    }));
    return c.json({ lines, nextCursor: page.nextCursor }, 200);
  });
