import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

const VOLUNTEERING = '00000000-0000-4000-8000-000000000101';
const GRID = '00000000-0000-4000-8000-000000000102';

async function unchanged(t: TestApp) {
  return queryOne<{ versions: number; audits: number }>(
    t.db,
    sql`select (select count(*) from reward_rule_versions)::int as versions, (select count(*) from audit_log)::int as audits`,
  );
}

describeEachBackend('reward rules: refusals', (current) => {
  async function setup() {
    const t = testApp(current());
    const { token } = await t.signedIn('committee');
    const before = await unchanged(t);
    const addVersion = (id: string, body: unknown) => t.call('POST', `/api/reward-rules/${id}/versions`, { token, body });
    return { t, token, before, addVersion };
  }

  it('a version effective in the past is a 422 naming effectiveFrom; nothing is written', async () => {
    const { t, before, addVersion } = await setup();
    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    const res = await addVersion(VOLUNTEERING, { effectiveFrom: past, terms: { points: '12', unit: 'hour' }, note: 'retroactive raise' });
    const problem = expectProblem(res, 422, 'effective_in_past');
    expect(problem.errors).toEqual([{ path: 'effectiveFrom', message: 'must be now or later' }]);
    expect(await unchanged(t)).toEqual(before);
  });

  it('terms that do not fit the activity are a 422 with field paths: wrong unit, cap 0, foreign conditions', async () => {
    const { t, before, addVersion } = await setup();
    const unit = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'report' }, note: 'wrong unit' }), 422, 'invalid_terms');
    expect(unit.errors).toEqual([{ path: 'terms.unit', message: 'volunteering counts in hours' }]);

    const cap = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'hour', caps: { month: '0' } }, note: 'cap zero' }), 422, 'invalid_terms');
    expect(cap.errors).toEqual([{ path: 'terms.caps.month', message: expect.stringContaining('above zero') }]);

    const foreign = expectProblem(
      await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'hour', categories: ['pothole'], everyDays: 30 }, note: 'mixed up' }),
      422,
      'invalid_terms',
    );
    expect(foreign.errors!.map((e) => e.path).sort()).toEqual(['terms.categories', 'terms.everyDays']);

    const gridHours = expectProblem(await addVersion(GRID, { terms: { points: '5', unit: 'report', minHours: '1' }, note: 'hours on reports' }), 422, 'invalid_terms');
    expect(gridHours.errors).toEqual([{ path: 'terms.minHours', message: 'only volunteering counts hours' }]);
    expect(await unchanged(t)).toEqual(before);
  });

  it('malformed terms are a 400 with field paths: negative points, three decimals, unknown field, missing note', async () => {
    const { t, before, addVersion } = await setup();
    const negative = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '-5', unit: 'hour' }, note: 'negative' }), 400, 'validation_failed');
    expect(negative.errors!.map((e) => e.path)).toEqual(['terms.points']);

    const precise = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '1.005', unit: 'hour' }, note: 'too precise' }), 400);
    expect(precise.errors!.map((e) => e.path)).toEqual(['terms.points']);

    const number = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: 10, unit: 'hour' }, note: 'a JSON number' }), 400);
    expect(number.errors!.map((e) => e.path)).toEqual(['terms.points']);

    const unknown = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'hour', bonus: '5' }, note: 'unknown' }), 400);
    expect(unknown.errors).toEqual([{ path: 'terms', message: expect.stringContaining('bonus') }]);

    const capUnknown = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'hour', caps: { year: '100' } }, note: 'year cap' }), 400);
    expect(capUnknown.errors).toEqual([{ path: 'terms.caps', message: expect.stringContaining('year') }]);

    const noNote = expectProblem(await addVersion(VOLUNTEERING, { terms: { points: '10', unit: 'hour' } }), 400);
    expect(noNote.errors!.map((e) => e.path)).toEqual(['note']);

    const badDate = expectProblem(await addVersion(VOLUNTEERING, { effectiveFrom: 'next tuesday', terms: { points: '10', unit: 'hour' }, note: 'bad date' }), 400);
    expect(badDate.errors!.map((e) => e.path)).toEqual(['effectiveFrom']);
    expect(await unchanged(t)).toEqual(before);
  });

  it('an unknown rule is a 404; a malformed id a 400', async () => {
    const { t, token, addVersion } = await setup();
    expectProblem(await t.call('GET', '/api/reward-rules/7b1f0e0c-3a8e-4d7c-9a51-1a2b3c4d5e6f', { token }), 404, 'rule_not_found');
    expectProblem(await addVersion('7b1f0e0c-3a8e-4d7c-9a51-1a2b3c4d5e6f', { terms: { points: '10', unit: 'hour' }, note: 'nobody' }), 404, 'rule_not_found');
    expectProblem(await t.call('GET', '/api/reward-rules/not-a-uuid', { token }), 400, 'validation_failed');
  });

  it('creating a rule for an activity that has one is a 409; nothing is written', async () => {
    const { t, token, before } = await setup();
    const res = await t.call('POST', '/api/reward-rules', {
      token,
      body: { activity: 'volunteering', name: 'Second volunteering rule', terms: { points: '1', unit: 'hour' }, note: 'duplicate' },
    });
    expectProblem(res, 409, 'rule_exists');
    expect(await unchanged(t)).toEqual(before);
  });
});

describeEachBackend('reward rules: who may', (current) => {
  it('a driver gets 403, the signed-out 401, on every rule route; nothing is written', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await unchanged(t);
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/reward-rules'],
      ['GET', `/api/reward-rules/${VOLUNTEERING}`],
      ['POST', '/api/reward-rules', { activity: 'volunteering', name: 'x', terms: { points: '1', unit: 'hour' }, note: 'mine' }],
      ['POST', `/api/reward-rules/${VOLUNTEERING}/versions`, { terms: { points: '1000', unit: 'hour' }, note: 'pay me more' }],
      ['POST', '/api/reward-rules/simulate', { rules: {}, from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }],
    ];
    for (const [method, path, body] of calls) {
      expectProblem(await t.call(method, path, { token: driver.token, body }), 403, 'forbidden');
      expectProblem(await t.call(method, path, { body }), 401, 'unauthenticated');
    }
    expect(await unchanged(t)).toEqual(before);
  });
});
