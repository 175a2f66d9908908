import { createRoute, z } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/middleware';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { decideAppeal, fileAppeal, listAppeals, type AppealView } from './appeals';
import { Appeal, AppealBody, AppealIdParam, AppealPage, AppealQuery, DecideBody } from './appeals.schemas';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function appealJson(a: AppealView): z.infer<typeof Appeal> {
  return {
    id: a.id,
    driver: { id: a.driverId, name: a.driverName },
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    subject: { status: a.subjectStatus, summary: a.subjectSummary },
    reason: a.reason,
    status: a.status,
    decisionNote: a.decisionNote,
    decidedBy: a.decidedBy,
    decidedAt: iso(a.decidedAt),
    payment: a.payment ? { earningId: a.payment.earningId, points: a.payment.points.toFixed(2), transferId: a.payment.transferId } : null,
    createdAt: a.createdAt.toISOString(),
  };
}

const fileRoute = createRoute({
  method: 'post',
  path: '/appeals',
  tags: ['appeals'],
  summary: 'Appeal a rejected claim, a rejected or duplicate report, or a safety event',
  description:
    'Only your own: someone else’s subject is a 404. One appeal per subject may be open at a time (`appeal-open`, 409); ' +
    'a subject that cannot be appealed (a claim not rejected, a report still open, a passed inspection, an event already ' +
    'voided, an appeal already upheld) is `not-appealable` (422).',
  security: signedIn,
  middleware: requireRole('driver'),
  request: { body: jsonBody(AppealBody) },
  responses: { 201: jsonContent(Appeal, 'The appeal, open'), ...problems(401, 403, 404, 409, 422) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/appeals',
  tags: ['appeals'],
  summary: 'Appeals: the committee’s queue, or my own',
  description: 'Committee members see every appeal; by default the open ones, oldest first. Drivers see their own, newest first.',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { query: AppealQuery },
  responses: { 200: jsonContent(AppealPage, 'One page of appeals'), ...problems(401, 403) },
});

const decideRoute = createRoute({
  method: 'post',
  path: '/appeals/{id}/decide',
  tags: ['appeals'],
  summary: 'Decide an open appeal (committee, audited)',
  description:
    '`upheld` pays a claim or report (once, ever: its payment is idempotent) or voids a safety event, which then counts for ' +
    'nothing (streak milestones and the grade are re-evaluated). `dismissed` changes nothing. The driver is told in their ' +
    'inbox. An appeal already decided is a 409.',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: AppealIdParam, body: jsonBody(DecideBody) },
  responses: { 200: jsonContent(Appeal, 'The decided appeal'), ...problems(401, 403, 404, 409) },
});

export const appealRoutes = createRouter()
  .openapi(fileRoute, async (c) => c.json(appealJson(await fileAppeal(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('json'))), 201))
  .openapi(listRoute, async (c) => {
    const page = await listAppeals(c.get('db'), currentUser(c), c.req.valid('query'));
    return c.json({ items: page.items.map(appealJson), nextCursor: page.nextCursor }, 200);
  })
  .openapi(decideRoute, async (c) => {
    const appeal = await decideAppeal(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(appealJson(appeal), 200);
  });
