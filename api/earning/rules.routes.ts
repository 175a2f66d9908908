import { createRoute, type z } from '@hono/zod-openapi';
import type Decimal from 'decimal.js';
import { currentUser, requireRole } from '../auth/middleware';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { addVersion, createRule, getRule, listRules, type RuleView, type VersionView } from './rules';
import {
  CreateRuleBody,
  EarningRates,
  NewVersionBody,
  RewardRule,
  RewardRuleList,
  RuleIdParam,
  RuleVersion,
  RuleWithVersion,
  Simulation,
  SimulateBody,
} from './rules.schemas';
import { simulate, type SimulationResult } from './simulate';

const committeeOnly = requireRole('committee');
const points = (d: Decimal) => d.toFixed(2);

function versionJson(v: VersionView): z.infer<typeof RuleVersion> {
  return {
    id: v.id,
    version: v.version,
    effectiveFrom: v.effectiveFrom.toISOString(),
    enabled: v.enabled,
    terms: v.terms,
    note: v.note,
    status: v.status,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
  };
}

function ruleJson(r: RuleView): z.infer<typeof RewardRule> {
  return {
    id: r.id,
    activity: r.activity,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    current: r.current ? versionJson(r.current) : null,
    scheduled: r.scheduled.map(versionJson),
    history: r.history.map(versionJson),
  };
}

function withVersion(rule: RuleView, versionId: string): z.infer<typeof RuleWithVersion> {
  return { rule: ruleJson(rule), version: versionJson(rule.history.find((v) => v.id === versionId)!) };
}

const comparison = (c: { actualPoints: Decimal; simulatedPoints: Decimal }) => ({
  actualPoints: points(c.actualPoints),
  simulatedPoints: points(c.simulatedPoints),
  difference: points(c.simulatedPoints.minus(c.actualPoints)),
});

function simulationJson(s: SimulationResult): z.infer<typeof Simulation> {
  return {
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    totals: { ...s.totals, ...comparison(s.totals) },
    byActivity: s.byActivity.map((a) => ({ ...a, ...comparison(a) })),
    topChanges: s.topChanges.map((d) => ({ ...d, ...comparison(d) })),
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/reward-rules',
  tags: ['rules'],
  summary: 'Reward rules with the version in force, what is scheduled and the full history',
  description: 'One rule per activity (volunteering, grid_report, safety_streak, safety_challenge); their terms are versioned.',
  security: signedIn,
  middleware: committeeOnly,
  responses: { 200: jsonContent(RewardRuleList, 'Every rule'), ...problems(401, 403) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/reward-rules/{id}',
  tags: ['rules'],
  summary: 'One reward rule with its versions',
  security: signedIn,
  middleware: committeeOnly,
  request: { params: RuleIdParam },
  responses: { 200: jsonContent(RewardRule, 'The rule'), ...problems(401, 403, 404) },
});

const createRuleRoute = createRoute({
  method: 'post',
  path: '/reward-rules',
  tags: ['rules'],
  summary: 'Create the rule for an activity that has none, with its first version (audited)',
  description:
    'Each activity has exactly one rule (the programme defaults exist from the start), so this answers 409 rule-exists ' +
    'when the activity already has one: change it with POST /reward-rules/{id}/versions. Terms that do not fit the ' +
    'activity (a wrong unit, a cap of zero …) are a 422 invalid-terms with field paths.',
  security: signedIn,
  middleware: committeeOnly,
  request: { body: jsonBody(CreateRuleBody) },
  responses: { 201: jsonContent(RuleWithVersion, 'The new rule and its version 1'), ...problems(401, 403, 409, 422) },
});

const addVersionRoute = createRoute({
  method: 'post',
  path: '/reward-rules/{id}/versions',
  tags: ['rules'],
  summary: 'Change a rule: a new version from now or a later moment (audited)',
  description:
    'Versions are never edited or deleted. The new one is numbered after the highest so far and takes effect at ' +
    '`effectiveFrom` (default now; a moment in the past is a 422 effective-in-past, because activity that already ' +
    'happened keeps paying under the version in force when it happened). Terms are checked against the activity: ' +
    'a 400 for malformed terms, a 422 invalid-terms for terms that do not fit it, both with field paths.',
  security: signedIn,
  middleware: committeeOnly,
  request: { params: RuleIdParam, body: jsonBody(NewVersionBody) },
  responses: { 201: jsonContent(RuleWithVersion, 'The rule after the change, and the new version'), ...problems(401, 403, 404, 422) },
});

const simulateRoute = createRoute({
  method: 'post',
  path: '/reward-rules/simulate',
  tags: ['rules'],
  summary: 'What draft terms would have paid over a past period, next to what was paid (changes nothing)',
  description:
    'Prices the period’s activities — approved volunteering by activity date, verified grid reports by filing time, ' +
    'safety milestones paid in the period — under the draft terms (activities whose type is not in the draft use the ' +
    'version in force when they happened), applying caps per driver per calendar day/week/month in the programme time ' +
    'zone in the order the activities happened, and the grade multiplier each payment applied. Answers totals, drivers, ' +
    'a line per activity type and the drivers whose pay changes most. The period is at most 366 days (422 invalid-period).',
  security: signedIn,
  middleware: committeeOnly,
  request: { body: jsonBody(SimulateBody) },
  responses: { 200: jsonContent(Simulation, 'Actual and simulated pay'), ...problems(401, 403, 422) },
});

const ratesRoute = createRoute({
  method: 'get',
  path: '/me/earning-rates',
  tags: ['rules'],
  summary: 'What earns points now: the rules in force, in plain terms (drivers)',
  description: 'The terms of each reward rule in force and switched on now: points per unit and caps. Grade multipliers apply on top.',
  security: signedIn,
  middleware: requireRole('driver'),
  responses: { 200: jsonContent(EarningRates, 'The rules in force'), ...problems(401, 403) },
});

export const rewardRuleRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json({ items: (await listRules(c.get('db'), c.get('clock').now())).map(ruleJson) }, 200))
  .openapi(ratesRoute, async (c) => {
    const rules = await listRules(c.get('db'), c.get('clock').now());
    const items = rules.flatMap((r) => (r.current?.enabled ? [{ activity: r.activity, name: r.name, terms: r.current.terms }] : []));
    return c.json({ items }, 200);
  })
  .openapi(simulateRoute, async (c) => {
    const body = c.req.valid('json');
    const result = await simulate(c.get('db'), { draft: body.rules, from: new Date(body.from), to: new Date(body.to), top: body.top ?? 10 });
    return c.json(simulationJson(result), 200);
  })
  .openapi(getRoute, async (c) => c.json(ruleJson(await getRule(c.get('db'), c.req.valid('param').id, c.get('clock').now())), 200))
  .openapi(createRuleRoute, async (c) => {
    const body = c.req.valid('json');
    const { rule, versionId } = await createRule(
      c.get('db'),
      currentUser(c).id,
      { ...body, effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined },
      c.get('clock').now(),
    );
    return c.json(withVersion(rule, versionId), 201);
  })
  .openapi(addVersionRoute, async (c) => {
    const body = c.req.valid('json');
    const { rule, versionId } = await addVersion(
      c.get('db'),
      currentUser(c).id,
      c.req.valid('param').id,
      { ...body, effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined },
      c.get('clock').now(),
    );
    return c.json(withVersion(rule, versionId), 201);
  });
