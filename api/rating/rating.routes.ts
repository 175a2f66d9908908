import { createRoute } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/middleware';
import { AppError } from '../errors';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import type { FullRegrade } from './engine';
import { createPolicyVersion, simulate } from './policies';
import { policyInForce, policyVersion, policyVersions, type PolicyVersion } from './policy';
import {
  CreatedPolicy,
  CreatePolicyBody,
  DriverParam,
  PolicyList,
  PolicyVersionSchema,
  RatingSchema,
  SimulateBody,
  SimulationSchema,
  VersionParam,
} from './rating.schemas';
import { ratingView } from './view';

function versionJson(v: PolicyVersion, inForceId: string) {
  return {
    id: v.id,
    version: v.version,
    effectiveFrom: v.effectiveFrom.toISOString(),
    inForce: v.id === inForceId,
    policy: v.policy,
    note: v.note,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
  };
}

const regradeJson = (r: FullRegrade | null) => (r ? { ...r, asOf: r.asOf.toISOString() } : null);

const myRatingRoute = createRoute({
  method: 'get',
  path: '/me/rating',
  tags: ['rating'],
  summary: 'My credit rating: grade, score breakdown, what the next grade needs, history',
  description:
    'The score (0–100) is safety + volunteering + grid reporting over the rolling window of the rating policy in force; ' +
    '`next` says in plain terms what the next grade up needs (more verified reports and volunteer hours, the date a ' +
    'streak or an event leaving the window opens a gate). Reading re-grades the driver first, so the grade shown is ' +
    'the one prices and earning use.',
  security: signedIn,
  middleware: requireRole('driver'),
  responses: { 200: jsonContent(RatingSchema, 'My rating'), ...problems(401, 403) },
});

const driverRatingRoute = createRoute({
  method: 'get',
  path: '/drivers/{id}/rating',
  tags: ['rating'],
  summary: "A driver's credit rating, as the driver sees it (committee)",
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: DriverParam },
  responses: { 200: jsonContent(RatingSchema, "The driver's rating"), ...problems(401, 403, 404) },
});

const listPoliciesRoute = createRoute({
  method: 'get',
  path: '/rating-policies',
  tags: ['rating policy'],
  summary: 'Rating policy versions, newest first, and which one is in force',
  security: signedIn,
  middleware: requireRole('committee'),
  responses: { 200: jsonContent(PolicyList, 'Every version'), ...problems(401, 403) },
});

const getPolicyRoute = createRoute({
  method: 'get',
  path: '/rating-policies/{version}',
  tags: ['rating policy'],
  summary: 'One rating policy version',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: VersionParam },
  responses: { 200: jsonContent(PolicyVersionSchema, 'The version'), ...problems(401, 403, 404) },
});

const createPolicyRoute = createRoute({
  method: 'post',
  path: '/rating-policies',
  tags: ['rating policy'],
  summary: 'Add a rating policy version (audited)',
  description:
    'The whole policy, validated: the weights add up to 100, each factor’s rate × cap equals its weight, A < AA < AAA ' +
    'thresholds, benefits that never shrink as the grade rises (422 invalid-rating-policy naming each problem). ' +
    'Versions are append-only. Effective now (the default), every driver is re-graded before the answer, each change ' +
    'recorded under the new version and each grade change notified; effective later, the scheduled re-grade applies it.',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { body: jsonBody(CreatePolicyBody) },
  responses: { 201: jsonContent(CreatedPolicy, 'The new version'), ...problems(401, 403, 422) },
});

const simulateRoute = createRoute({
  method: 'post',
  path: '/rating-policies/simulate',
  tags: ['rating policy'],
  summary: 'Grade distribution today vs under a draft policy, and who moves (writes nothing)',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { body: jsonBody(SimulateBody) },
  responses: { 200: jsonContent(SimulationSchema, 'The comparison'), ...problems(401, 403, 422) },
});

export const ratingRoutes = createRouter()
  .openapi(myRatingRoute, async (c) => c.json(await ratingView(c.get('db'), c.get('clock'), currentUser(c).id), 200))
  .openapi(driverRatingRoute, async (c) => c.json(await ratingView(c.get('db'), c.get('clock'), c.req.valid('param').id), 200))
  .openapi(listPoliciesRoute, async (c) => {
    const [versions, inForce] = await Promise.all([policyVersions(c.get('db')), policyInForce(c.get('db'), c.get('clock').now())]);
    return c.json({ inForce: inForce.version, items: versions.map((v) => versionJson(v, inForce.id)) }, 200);
  })
  .openapi(getPolicyRoute, async (c) => {
    const { version } = c.req.valid('param');
    const [found, inForce] = await Promise.all([policyVersion(c.get('db'), version), policyInForce(c.get('db'), c.get('clock').now())]);
    if (!found) throw new AppError('rating_policy_not_found', `there is no rating policy version ${version}`);
    return c.json(versionJson(found, inForce.id), 200);
  })
  .openapi(createPolicyRoute, async (c) => {
    const body = c.req.valid('json');
    const created = await createPolicyVersion(c.get('db'), c.get('clock'), currentUser(c).id, {
      policy: body.policy,
      effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined,
      note: body.note ?? null,
    });
    const inForce = await policyInForce(c.get('db'), c.get('clock').now());
    return c.json({ ...versionJson(created.version, inForce.id), regrade: regradeJson(created.regrade) }, 201);
  })
  .openapi(simulateRoute, async (c) => c.json(await simulate(c.get('db'), c.get('clock'), c.req.valid('json').policy), 200));
