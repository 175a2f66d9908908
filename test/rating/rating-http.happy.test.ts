// The rating API as clients use it: a driver's rating explained, the committee's view of it, and
// the policy routes (list, add a version, simulate).

import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DEFAULT_POLICY, type RatingPolicy } from '../../api/rating/policy';
import { queryRows, type DbHandle } from '../../db/client';
import { notifications, users } from '../../db/schema/index';
import { testApp } from '../support/app';
import { describeEachBackend } from '../support/backends';
import { addHours, addReports, addSafety, countRows, daysBefore } from './rating-support';

async function scene(handle: DbHandle) {
  // sessions last 90 days, so that tests can move the clock to the day a streak gate opens
  const t = testApp(handle, { session: { ttlHours: 24 * 90, cookieSecure: false } });
  const committee = await t.signedIn('committee');
  /** A signed-in driver who joined `joinedDaysAgo` days before the fake clock. */
  const driver = async (joinedDaysAgo = 400) => {
    const d = await t.signedIn('driver');
    await t.db.update(users).set({ createdAt: daysBefore(t.clock.now(), joinedDaysAgo) }).where(eq(users.id, d.id));
    return d;
  };
  return { ...t, committee, driver };
}

describeEachBackend('rating API: happy paths', (current) => {
  it('a driver sees grade, score, each factor, what the next grade needs in plain terms, and the history', async () => {
    const t = await scene(current());
    const me = await t.driver();
    const now = t.clock.now();
    await addSafety(t.db, me.id, 'minor', daysBefore(now, 61));
    await addReports(t.db, me.id, 8, daysBefore(now, 10));
    await addHours(t.db, me.id, '1', '2026-05-20');

    const res = await t.call('GET', '/api/me/rating', { token: me.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ driverId: me.id, grade: 'A', score: '62.50', policyVersion: 1, benefits: { earningMultiplier: '1', priceDiscount: '0' } });
    expect(res.json.breakdown).toEqual({
      window: { days: 365, from: daysBefore(now, 365).toISOString(), to: now.toISOString() },
      safety: {
        points: '45.00',
        max: '50',
        deductions: [
          { event: 'minor_violation', count: 1, each: '5', points: '5.00' },
          { event: 'major_violation', count: 0, each: '15', points: '0.00' },
          { event: 'at_fault_accident', count: 0, each: '20', points: '0.00' },
          { event: 'serious_accident', count: 0, each: '50', points: '0.00' },
        ],
      },
      volunteering: { points: '1.50', max: '30', hours: '1.00', countedHours: '1.00', pointsPerHour: '1.5', maxHours: '20' },
      reporting: { points: '16.00', max: '20', verifiedReports: 8, countedReports: 8, pointsPerReport: '2', maxReports: 10 },
      streak: { since: daysBefore(now, 61).toISOString(), days: 61 },
    });
    expect(res.json.next).toEqual({
      grade: 'AA',
      minScore: '70',
      steps: [{ kind: 'score', text: '2 more verified reports and 3 more volunteer hours (score 70.00 needed, you have 62.50)', moreHours: 3, moreReports: 2 }],
      summary: 'For AA: 2 more verified reports and 3 more volunteer hours (score 70.00 needed, you have 62.50).',
    });
    expect(res.json.history).toHaveLength(1);
    expect(res.json.history[0]).toMatchObject({ grade: 'A', previousGrade: null, score: '62.50', policyVersion: 1, cause: 'refresh', at: now.toISOString() });
    expect(res.json.history[0].breakdown).toEqual(res.json.breakdown);

    // reading again changes nothing
    const again = await t.call('GET', '/api/me/rating', { token: me.token });
    expect(again.json).toEqual(res.json);
    expect(await countRows(t.db, 'rating_history')).toBe(1);
  });

  it('a streak gate says the date; on that day the driver is AAA, with a new history entry and an inbox message', async () => {
    const t = await scene(current());
    const me = await t.driver();
    await addSafety(t.db, me.id, 'minor', new Date('2026-04-01T08:00:00Z')); // 61 days before the clock
    await addReports(t.db, me.id, 10, daysBefore(t.clock.now(), 5));
    await addHours(t.db, me.id, '20', '2026-05-10');

    const before = await t.call('GET', '/api/me/rating', { token: me.token });
    expect(before.json).toMatchObject({ grade: 'AA', score: '95.00' });
    expect(before.json.next.summary).toBe('For AAA: your violation-free streak reaches 100 days on 2026-07-10 (it is 61 days now).');
    expect(before.json.next.steps).toEqual([expect.objectContaining({ kind: 'minStreakDays', on: '2026-07-10' })]);

    t.clock.set('2026-07-10T08:00:00.000Z');
    const after = await t.call('GET', '/api/me/rating', { token: me.token });
    expect(after.json).toMatchObject({ grade: 'AAA', score: '95.00', next: null, benefits: { earningMultiplier: '1.2', priceDiscount: '0.10' } });
    expect(after.json.history.map((h: { grade: string; previousGrade: string | null }) => [h.previousGrade, h.grade])).toEqual([
      ['AA', 'AAA'],
      [null, 'AA'],
    ]);
    const inbox = await t.db.select().from(notifications).where(eq(notifications.userId, me.id));
    expect(inbox.map((n) => n.title)).toEqual(['Your credit rating is now AA', 'Your credit rating is now AAA']);
  });

  it('the committee sees any driver’s rating exactly as the driver does', async () => {
    const t = await scene(current());
    const d = await t.driver();
    await addReports(t.db, d.id, 3, daysBefore(t.clock.now(), 1));
    const theirs = await t.call('GET', '/api/me/rating', { token: d.token });
    const committees = await t.call('GET', `/api/drivers/${d.id}/rating`, { token: t.committee.token });
    expect(committees.status, committees.text).toBe(200);
    expect(committees.json).toEqual(theirs.json);
    expect(committees.json).toMatchObject({ driverId: d.id, grade: 'A', score: '56.00' });
  });

  it('policies: version 1 is the DESIGN default in force; a new version re-grades everyone at once, audited', async () => {
    const t = await scene(current());
    const d = await t.driver();
    await addHours(t.db, d.id, '4', '2026-05-20'); // 56: A
    expect((await t.call('GET', '/api/me/rating', { token: d.token })).json.grade).toBe('A');

    const list = await t.call('GET', '/api/rating-policies', { token: t.committee.token });
    expect(list.status, list.text).toBe(200);
    expect(list.json.inForce).toBe(1);
    expect(list.json.items).toEqual([
      expect.objectContaining({ version: 1, inForce: true, policy: DEFAULT_POLICY, effectiveFrom: '2000-01-01T00:00:00.000Z', createdBy: null }),
    ]);

    const higherA: RatingPolicy = { ...DEFAULT_POLICY, grades: { ...DEFAULT_POLICY.grades, A: { minScore: '60' } } };
    const created = await t.call('POST', '/api/rating-policies', { token: t.committee.token, body: { policy: higherA, note: 'A needs 60 from now on' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      version: 2,
      inForce: true,
      policy: higherA,
      note: 'A needs 60 from now on',
      createdBy: t.committee.id,
      effectiveFrom: t.clock.now().toISOString(),
      regrade: { policyVersion: 2, drivers: 1, changed: 1, history: 1, gradeChanges: 1 },
    });
    const mine = await t.call('GET', '/api/me/rating', { token: d.token });
    expect(mine.json).toMatchObject({ grade: 'B', policyVersion: 2 });
    expect(mine.json.history.map((h: { grade: string; policyVersion: number; cause: string }) => [h.grade, h.policyVersion, h.cause])).toEqual([
      ['B', 2, 'policy'],
      ['A', 1, 'refresh'],
    ]);
    const audits = await queryRows(t.db, sql`select action, actor_id, target_id from audit_log where action like 'rating_policy.%'`);
    expect(audits).toEqual([{ action: 'rating_policy.create', actor_id: t.committee.id, target_id: created.json.id }]);

    const one = await t.call('GET', '/api/rating-policies/1', { token: t.committee.token });
    expect(one.json).toMatchObject({ version: 1, inForce: false, policy: DEFAULT_POLICY });
    expect((await t.call('GET', '/api/rating-policies', { token: t.committee.token })).json.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('simulate: grades today vs under a draft and who moves, writing nothing', async () => {
    const t = await scene(current());
    const now = t.clock.now();
    const a = await t.driver(); // 50: B
    const b = await t.driver();
    await addHours(t.db, b.id, '4', '2026-05-20'); // 56: A
    const c = await t.driver();
    await addReports(t.db, c.id, 10, daysBefore(now, 3)); // 70: AA
    void a;
    const before = await Promise.all((['rating_history', 'driver_ratings', 'notifications'] as const).map((table) => countRows(t.db, table)));

    const draft: RatingPolicy = { ...DEFAULT_POLICY, grades: { ...DEFAULT_POLICY.grades, A: { minScore: '50' }, AA: { minScore: '72', maxSeriousAccidents: 0 } } };
    const res = await t.call('POST', '/api/rating-policies/simulate', { token: t.committee.token, body: { policy: draft } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      asOf: now.toISOString(),
      policyVersion: 1,
      drivers: 3,
      today: { AAA: 0, AA: 1, A: 1, B: 1 },
      draft: { AAA: 0, AA: 0, A: 3, B: 0 },
      movedUp: 1,
      movedDown: 1,
      unchanged: 1,
      moves: [
        { from: 'AA', to: 'A', drivers: 1 },
        { from: 'B', to: 'A', drivers: 1 },
      ],
    });
    const after = await Promise.all((['rating_history', 'driver_ratings', 'notifications'] as const).map((table) => countRows(t.db, table)));
    expect(after).toEqual(before);
    expect((await t.call('GET', '/api/rating-policies', { token: t.committee.token })).json.items).toHaveLength(1);
  });
});
