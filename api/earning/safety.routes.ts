import { createRoute, z } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/middleware';
import { AppError } from '../errors';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { ruleVersionAt } from './earn';
import { currentStreak } from './milestones';
import { listSafetyEvents, recordSafetyEvents, type SafetyEventRow } from './safety';
import { MySafety, SafetyBatchResult, SafetyEvent, SafetyEventPage, SafetyEventsBody, SafetyEventsQuery } from './safety.schemas';

const DAY_MS = 86_400_000;

function eventJson(e: SafetyEventRow): z.infer<typeof SafetyEvent> {
  return {
    id: e.id,
    externalId: e.externalId,
    driverId: e.driverId,
    kind: e.kind,
    severity: e.severity,
    occurredAt: e.occurredAt.toISOString(),
    note: e.note,
    voidedAt: e.voidedAt ? e.voidedAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
  };
}

const postRoute = createRoute({
  method: 'post',
  path: '/safety-events',
  tags: ['safety'],
  summary: 'Record safety events: one or a batch (committee or integration)',
  description:
    'Violations (minor | major), accidents (at_fault_minor | serious) and passed inspections, each with the sender’s ' +
    '`externalId`. Re-posting an externalId records nothing: the item comes back as `duplicate`, or as `conflict` when ' +
    'its content differs from what was recorded (the stored record stands). If any item is invalid — a malformed field ' +
    '(400) or a driver that does not exist, a severity that does not fit the kind, a date in the future (422) — the ' +
    'whole batch is refused, nothing is recorded, and the problem’s `errors[]` names each item as `events.<index>.<field>`. ' +
    'Safety milestones now due to the drivers concerned are paid in the same transaction. Audited.',
  security: signedIn,
  middleware: requireRole('committee', 'integration'),
  request: { body: jsonBody(SafetyEventsBody) },
  responses: {
    201: jsonContent(SafetyBatchResult, 'At least one event was recorded; the outcome of every item, in request order'),
    200: jsonContent(SafetyBatchResult, 'Nothing new: every item was a duplicate or a conflict'),
    ...problems(401, 403, 413, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/safety-events',
  tags: ['safety'],
  summary: 'Safety events, newest first (drivers: their own; committee: all)',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { query: SafetyEventsQuery },
  responses: { 200: jsonContent(SafetyEventPage, 'One page of events'), ...problems(401, 403) },
});

const mineRoute = createRoute({
  method: 'get',
  path: '/me/safety',
  tags: ['safety'],
  summary: 'My violation-free streak, my next safety milestone and my latest records',
  security: signedIn,
  middleware: requireRole('driver'),
  responses: { 200: jsonContent(MySafety, 'Streak and milestones'), ...problems(401, 403) },
});

export const safetyRoutes = createRouter()
  .openapi(postRoute, async (c) => {
    const { events } = c.req.valid('json');
    const outcome = await recordSafetyEvents(
      c.get('db'),
      c.get('clock'),
      currentUser(c),
      events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
    );
    const body = { ...outcome, milestones: { paid: outcome.milestones.paid, points: outcome.milestones.points.toFixed(2) } };
    return outcome.created > 0 ? c.json(body, 201) : c.json(body, 200);
  })
  .openapi(listRoute, async (c) => {
    const user = currentUser(c);
    const query = c.req.valid('query');
    if (user.role === 'driver' && query.driverId && query.driverId !== user.id) {
      throw new AppError('forbidden', 'drivers see their own safety records only');
    }
    const page = await listSafetyEvents(c.get('db'), { ...query, driverId: user.role === 'driver' ? user.id : query.driverId });
    return c.json({ items: page.items.map(eventJson), nextCursor: page.nextCursor }, 200);
  })
  .openapi(mineRoute, async (c) => {
    const driver = currentUser(c);
    const now = c.get('clock').now();
    const [streak, streakRule, challengeRule, recent] = await Promise.all([
      currentStreak(c.get('db'), driver.id, now),
      ruleVersionAt(c.get('db'), 'safety_streak', now),
      ruleVersionAt(c.get('db'), 'safety_challenge', now),
      listSafetyEvents(c.get('db'), { driverId: driver.id, limit: 10 }),
    ]);
    const startMs = streak.startedAt.getTime();
    const elapsedDays = (now.getTime() - startMs) / DAY_MS;
    const candidates: Array<z.infer<typeof MySafety>['next'] & object> = [];
    const points = (rule: typeof streakRule) => (rule?.enabled ? rule.terms.points : null);
    if (streakRule?.terms.everyDays) {
      const every = streakRule.terms.everyDays;
      const days = (Math.floor(elapsedDays / every) + 1) * every;
      candidates.push({ rule: 'safety_streak', at: new Date(startMs + days * DAY_MS).toISOString(), inDays: Math.ceil(days - elapsedDays), streakDays: days, points: points(streakRule) });
    }
    const challengeDays = challengeRule?.terms.everyDays ?? null;
    const completedAt = challengeDays !== null && elapsedDays >= challengeDays ? new Date(startMs + challengeDays * DAY_MS).toISOString() : null;
    if (challengeDays !== null && !completedAt) {
      candidates.push({
        rule: 'safety_challenge',
        at: new Date(startMs + challengeDays * DAY_MS).toISOString(),
        inDays: Math.ceil(challengeDays - elapsedDays),
        streakDays: challengeDays,
        points: points(challengeRule),
      });
    }
    candidates.sort((a, b) => a.at.localeCompare(b.at));
    return c.json(
      {
        streak: { startedAt: streak.startedAt.toISOString(), days: streak.days },
        next: candidates[0] ?? null,
        challenge: { days: challengeDays, completedAt },
        recentEvents: recent.items.map(eventJson),
      },
      200,
    );
  });
