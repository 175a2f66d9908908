// Bad input to the rating routes: a clear problem+json, and nothing written.

import { expect, it } from 'vitest';
import { DEFAULT_POLICY, type RatingPolicy } from '../../api/rating/policy';
import { testApp } from '../support/app';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { countRows } from './rating-support';

const clone = (): RatingPolicy => structuredClone(DEFAULT_POLICY);

describeEachBackend('rating API: errors', (current) => {
  it('an inconsistent policy is 422 invalid-rating-policy naming every problem, for a new version and a simulation alike', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const bad = clone();
    bad.volunteering = { weight: '35', pointsPerHour: '1.5', maxHours: '20' };
    bad.grades.AA.minScore = '90';
    const before = await countRows(t.db, 'rating_runs');

    for (const path of ['/api/rating-policies', '/api/rating-policies/simulate']) {
      const problem = expectProblem(await t.call('POST', path, { token: committee.token, body: { policy: bad } }), 422, 'invalid_rating_policy');
      expect(problem.errors).toEqual([
        { path: 'weights', message: 'safety 50 + volunteering 35 + reporting 20 = 105; the weights must add up to 100' },
        { path: 'volunteering', message: '1.5 points × 20 hours = 30, but the weight is 35; full marks must equal the weight' },
        { path: 'grades.AAA.minScore', message: 'AAA (85) must need more than AA (90)' },
      ]);
      expect(problem.detail).toContain('weights: safety 50 + volunteering 35 + reporting 20 = 105');
    }
    const list = await t.call('GET', '/api/rating-policies', { token: committee.token });
    expect(list.json.items).toHaveLength(1);
    expect(await countRows(t.db, 'rating_runs')).toBe(before);
  });

  it('a malformed policy is 400 with field errors: numbers where decimal strings go, unknown fields, a missing grade', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const cases: Array<[unknown, string]> = [
      [{ ...DEFAULT_POLICY, safety: { ...DEFAULT_POLICY.safety, weight: 50 } }, 'policy.safety.weight'],
      [{ ...DEFAULT_POLICY, bonus: '5' }, 'policy'],
      [{ ...DEFAULT_POLICY, grades: { AAA: DEFAULT_POLICY.grades.AAA, AA: DEFAULT_POLICY.grades.AA } }, 'policy.grades.A'],
      [{ ...DEFAULT_POLICY, windowDays: 0 }, 'policy.windowDays'],
      [{ ...DEFAULT_POLICY, benefits: { ...DEFAULT_POLICY.benefits, AAA: { earningMultiplier: '1.2', priceDiscount: '1.5' } } }, 'policy.benefits.AAA.priceDiscount'],
    ];
    for (const [policy, path] of cases) {
      const problem = expectProblem(await t.call('POST', '/api/rating-policies', { token: committee.token, body: { policy } }), 400, 'validation_failed');
      expect(problem.errors!.map((e) => e.path)).toContain(path);
    }
    expectProblem(await t.call('POST', '/api/rating-policies', { token: committee.token, body: '{"policy": ' }), 400);
    expect((await t.call('GET', '/api/rating-policies', { token: committee.token })).json.items).toHaveLength(1);
  });

  it('a version may not take effect in the past: 422, nothing written', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const past = new Date(t.clock.now().getTime() - 60_000).toISOString();
    const problem = expectProblem(
      await t.call('POST', '/api/rating-policies', { token: committee.token, body: { policy: DEFAULT_POLICY, effectiveFrom: past } }),
      422,
      'rating_policy_in_past',
    );
    expect(problem.errors).toEqual([{ path: 'effectiveFrom', message: 'must not be in the past' }]);
    expect((await t.call('GET', '/api/rating-policies', { token: committee.token })).json.items).toHaveLength(1);
  });

  it('unknown drivers and versions are 404; a committee member is no driver', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    expectProblem(await t.call('GET', '/api/drivers/00000000-0000-4000-8000-00000000abcd/rating', { token: committee.token }), 404, 'not_found');
    expectProblem(await t.call('GET', `/api/drivers/${committee.id}/rating`, { token: committee.token }), 404, 'not_found');
    expectProblem(await t.call('GET', '/api/drivers/not-a-uuid/rating', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/rating-policies/7', { token: committee.token }), 404, 'rating_policy_not_found');
    expectProblem(await t.call('GET', '/api/rating-policies/zero', { token: committee.token }), 400, 'validation_failed');
    expect(await countRows(t.db, 'driver_ratings')).toBe(0);
  });
});
