import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../auth/middleware';
import { createRouter, jsonContent, problems, signedIn } from '../http/openapi';
import { auditLogPage } from './audit-log';
import { AuditLogQuery, AuditPage, Summary, SummaryQuery } from './reports.schemas';
import { resolvePeriod, summary } from './summary';

const committeeOnly = requireRole('committee');

const summaryRoute = createRoute({
  method: 'get',
  path: '/reports/summary',
  tags: ['reports'],
  summary: 'Programme summary: points issued, redeemed, held, outstanding, expired; breakdowns; daily series',
  description:
    'Over programme days `[from, to)` (Asia/Shanghai; default: the last 30 days up to today, at most 366 days, ' +
    '422 invalid-period otherwise): points issued, redeemed (confirmed) and expired, with confirmed redemptions by ' +
    'offer category and partner region and a day-by-day series. `held` (open holds), `outstanding` (sum of driver ' +
    'wallets) and the grade distribution are as they stand now.',
  security: signedIn,
  middleware: committeeOnly,
  request: { query: SummaryQuery },
  responses: { 200: jsonContent(Summary, 'The summary'), ...problems(401, 403, 422) },
});

const auditLogRoute = createRoute({
  method: 'get',
  path: '/audit-log',
  tags: ['reports'],
  summary: 'Audit log of committee actions, newest first',
  description: 'Each entry names the actor, the action, its target, and the state before and after. Filters combine; pages follow `nextCursor`.',
  security: signedIn,
  middleware: committeeOnly,
  request: { query: AuditLogQuery },
  responses: { 200: jsonContent(AuditPage, 'One page of entries'), ...problems(401, 403) },
});

export const reportRoutes = createRouter()
  .openapi(summaryRoute, async (c) => {
    const now = c.get('clock').now();
    const period = resolvePeriod(now, c.req.valid('query'));
    return c.json(await summary(c.get('db'), period, now), 200);
  })
  .openapi(auditLogRoute, async (c) => c.json(await auditLogPage(c.get('db'), c.req.valid('query')), 200));
