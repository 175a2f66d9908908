import { expect, it } from 'vitest';
import { localMidnight } from '../../api/earning/earn';
import { rewardRuleVersions } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { approvedClaim, DEFAULT_TERMS, DOUBLED_TERMS, driver, milestone, rowCounts, submittedClaim, verifiedReport } from './simulate-support';

const JUNE = { from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };

/**
 * June 2026 under the programme defaults (10/h capped at 40 h a month; reports 5, hazards 10;
 * milestones 20 and 100). Actually paid: volunteering 440, grid 30, streak 20, challenge 100.
 */
async function history(t: TestApp) {
  const [wang, li, zhao] = [await driver(t.db, 'Wang Wei'), await driver(t.db, 'Li Na'), await driver(t.db, 'Zhao Lei')];
  await approvedClaim(t.db, t.clock, wang.id, '2026-05-28', '5'); // May: outside the period
  await approvedClaim(t.db, t.clock, wang.id, '2026-06-03', '10'); // 100
  await approvedClaim(t.db, t.clock, wang.id, '2026-06-10', '20'); // 200
  const capped = await approvedClaim(t.db, t.clock, wang.id, '2026-06-20', '15'); // 10 h under the cap: 100
  await approvedClaim(t.db, t.clock, li.id, '2026-06-05', '4'); // 40
  await submittedClaim(t.db, li.id, '2026-06-06', '8'); // never approved: not counted
  await verifiedReport(t.db, t.clock, li.id, '2026-06-02T10:00:00+08:00', 'pothole'); // 5
  await verifiedReport(t.db, t.clock, li.id, '2026-06-12T10:00:00+08:00', 'pothole'); // 5
  await verifiedReport(t.db, t.clock, li.id, '2026-06-30T23:30:00+08:00', 'road_collapse'); // 10
  await verifiedReport(t.db, t.clock, li.id, '2026-07-01T00:30:00+08:00', 'pothole'); // July: outside
  await verifiedReport(t.db, t.clock, zhao.id, '2026-06-15T09:00:00+08:00', 'broken_manhole_cover'); // 10
  await milestone(t.db, t.clock, zhao.id, 'safety_streak', '2026-06-15T00:00:00+08:00'); // 20
  await milestone(t.db, t.clock, zhao.id, 'safety_challenge', '2026-06-25T00:00:00+08:00'); // 100
  expect(capped.paid.paid && capped.paid.earning.points.toFixed(2)).toBe('100.00');
  return { wang, li, zhao };
}

describeEachBackend('reward rules: simulation', (current) => {
  async function setup() {
    const t = testApp(current());
    t.clock.set('2026-07-10T08:00:00.000Z');
    const { token } = await t.signedIn('committee');
    const people = await history(t);
    const simulate = (body: unknown) => t.call('POST', '/api/reward-rules/simulate', { token, body });
    return { t, token, simulate, ...people };
  }

  it('the current terms as the draft reproduce exactly what was paid; nothing is written', async () => {
    const { t, simulate } = await setup();
    const before = await rowCounts(t.db);
    const res = await simulate({ rules: DEFAULT_TERMS, ...JUNE });
    expect(res.status, res.text).toBe(200);
    expect(res.json.totals).toEqual({
      actualPoints: '590.00',
      simulatedPoints: '590.00',
      difference: '0.00',
      activities: 10,
      drivers: 3,
      driversPaidActual: 3,
      driversPaidSimulated: 3,
    });
    expect(res.json.byActivity).toEqual([
      { activity: 'volunteering', termsFrom: 'draft', activities: 4, drivers: 2, actualPoints: '440.00', simulatedPoints: '440.00', difference: '0.00' },
      { activity: 'grid_report', termsFrom: 'draft', activities: 4, drivers: 2, actualPoints: '30.00', simulatedPoints: '30.00', difference: '0.00' },
      { activity: 'safety_streak', termsFrom: 'draft', activities: 1, drivers: 1, actualPoints: '20.00', simulatedPoints: '20.00', difference: '0.00' },
      { activity: 'safety_challenge', termsFrom: 'draft', activities: 1, drivers: 1, actualPoints: '100.00', simulatedPoints: '100.00', difference: '0.00' },
    ]);
    expect(res.json.topChanges).toEqual([]);
    // an empty draft prices everything under the versions in force: the same answer
    const none = await simulate({ rules: {}, ...JUNE });
    expect(none.json.totals).toEqual(res.json.totals);
    expect(none.json.byActivity.map((a: any) => a.termsFrom)).toEqual(['in_force', 'in_force', 'in_force', 'in_force']);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('doubled points double the pay, per activity and in total; the drivers who gain most come first', async () => {
    const { simulate, wang, li, zhao } = await setup();
    const res = await simulate({ rules: DOUBLED_TERMS, ...JUNE, top: 2 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.totals).toMatchObject({ actualPoints: '590.00', simulatedPoints: '1180.00', difference: '590.00' });
    expect(res.json.byActivity.map((a: any) => [a.activity, a.actualPoints, a.simulatedPoints])).toEqual([
      ['volunteering', '440.00', '880.00'],
      ['grid_report', '30.00', '60.00'],
      ['safety_streak', '20.00', '40.00'],
      ['safety_challenge', '100.00', '200.00'],
    ]);
    // Wang 400 → 800, Zhao 130 → 260, Li 60 → 120; top 2
    expect(res.json.topChanges).toEqual([
      { driverId: wang.id, name: 'Wang Wei', plateNumber: expect.any(String), actualPoints: '400.00', simulatedPoints: '800.00', difference: '400.00' },
      { driverId: zhao.id, name: 'Zhao Lei', plateNumber: expect.any(String), actualPoints: '130.00', simulatedPoints: '260.00', difference: '130.00' },
    ]);
    expect(res.json.topChanges.map((d: any) => d.driverId)).not.toContain(li.id);
  });

  it('a lower draft cap is applied in the order activities happened, per driver per month', async () => {
    const { simulate, wang } = await setup();
    const res = await simulate({ rules: { volunteering: { points: '10', unit: 'hour', caps: { month: '30' } } }, ...JUNE });
    expect(res.status, res.text).toBe(200);
    // Wang: 10 h + 20 h reach the cap, the 15 h on the 20th pay nothing (300); Li 40
    expect(res.json.byActivity[0]).toMatchObject({ activity: 'volunteering', termsFrom: 'draft', actualPoints: '440.00', simulatedPoints: '340.00', difference: '-100.00' });
    expect(res.json.byActivity.slice(1).map((a: any) => [a.termsFrom, a.difference])).toEqual([
      ['in_force', '0.00'],
      ['in_force', '0.00'],
      ['in_force', '0.00'],
    ]);
    expect(res.json.totals).toMatchObject({ simulatedPoints: '490.00', difference: '-100.00' });
    expect(res.json.topChanges).toEqual([expect.objectContaining({ driverId: wang.id, actualPoints: '400.00', simulatedPoints: '300.00', difference: '-100.00' })]);

    const weekly = await simulate({ rules: { volunteering: { points: '10', unit: 'hour', caps: { week: '8', day: '6' } } }, ...JUNE });
    // Wang 6 + 6 + 6 (each day capped at 6, each in its own week), Li 4
    expect(weekly.json.byActivity[0].simulatedPoints).toBe('220.00');
  });

  it('a period starting mid-month still counts the month’s earlier hours against the cap', async () => {
    const { simulate } = await setup();
    const res = await simulate({ rules: DEFAULT_TERMS, from: '2026-06-15T00:00:00+08:00', to: JUNE.to });
    expect(res.status, res.text).toBe(200);
    // only Wang's 15 h on the 20th are in the period; 30 h earlier in June leave room for 10
    expect(res.json.byActivity[0]).toMatchObject({ activities: 1, actualPoints: '100.00', simulatedPoints: '100.00' });
    expect(res.json.totals).toMatchObject({ activities: 5, actualPoints: '240.00', simulatedPoints: '240.00' });
  });

  it('types not in the draft are priced under the version in force when each activity happened', async () => {
    const { t, simulate, li } = await setup();
    // From 20 June reports pay 7 (a committee change made back then; inserted directly to set the past)
    await t.db.insert(rewardRuleVersions).values({
      ruleId: '00000000-0000-4000-8000-000000000102',
      version: 2,
      effectiveFrom: localMidnight('2026-06-20'),
      terms: { points: '7', unit: 'report' },
      note: 'flat 7',
    });
    await verifiedReport(t.db, t.clock, li.id, '2026-06-22T10:00:00+08:00', 'road_collapse'); // 7 under v2
    const res = await simulate({ rules: { volunteering: DOUBLED_TERMS.volunteering }, ...JUNE });
    expect(res.status, res.text).toBe(200);
    // the road collapse on the 30th was paid 10 under v1 (before v2 existed); re-priced under the version now in force for that moment it is 7
    expect(res.json.byActivity[1]).toMatchObject({ activity: 'grid_report', termsFrom: 'in_force', activities: 5, actualPoints: '37.00', simulatedPoints: '34.00' });
  });

  it('an impossible period or draft is refused with a clear problem', async () => {
    const { t, simulate } = await setup();
    const before = await rowCounts(t.db);
    expectProblem(await simulate({ rules: {}, from: JUNE.to, to: JUNE.from }), 422, 'invalid_period');
    expectProblem(await simulate({ rules: {}, from: JUNE.from, to: JUNE.from }), 422, 'invalid_period');
    const long = expectProblem(await simulate({ rules: {}, from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }), 422, 'invalid_period');
    expect(long.detail).toContain('366 days');
    expectProblem(await simulate({ rules: {}, from: '0001-01-01T00:00:00Z', to: '0001-06-01T00:00:00Z' }), 422, 'invalid_period');
    expect((await simulate({ rules: {}, from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })).status).toBe(200);
    const unit = expectProblem(await simulate({ rules: { volunteering: { points: '10', unit: 'report' } }, ...JUNE }), 422, 'invalid_terms');
    expect(unit.errors).toEqual([{ path: 'rules.volunteering.unit', message: 'volunteering counts in hours' }]);
    const unknown = expectProblem(await simulate({ rules: { parking: { points: '1', unit: 'hour' } }, ...JUNE }), 400, 'validation_failed');
    expect(unknown.errors![0]!.path).toBe('rules');
    const negative = expectProblem(await simulate({ rules: { grid_report: { points: '-1', unit: 'report' } }, ...JUNE }), 400);
    expect(negative.errors!.map((e) => e.path)).toEqual(['rules.grid_report.points']);
    expectProblem(await simulate({ rules: {}, from: 'last month', to: JUNE.to }), 400);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('a driver gets 403 and learns nothing', async () => {
    const { t } = await setup();
    const driverUser = await t.signedIn('driver');
    const res = await t.call('POST', '/api/reward-rules/simulate', { token: driverUser.token, body: { rules: DOUBLED_TERMS, ...JUNE } });
    expectProblem(res, 403, 'forbidden');
    expect(res.text).not.toContain('590');
  });
});
