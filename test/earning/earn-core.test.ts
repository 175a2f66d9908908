import Decimal from 'decimal.js';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser } from '../../api/auth/auth.service';
import { FakeClock } from '../../api/clock';
import { earn, earnMany, localDate, localMidnight, ruleVersionAt } from '../../api/earning/earn';
import { paymentFor, RuleTerms } from '../../api/earning/terms';
import { balance, verify } from '../../api/ledger/reads';
import { walletOf } from '../../api/ledger/accounts';
import type { DbHandle } from '../../db/client';
import { earnings, rewardRuleVersions } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';

const d = (v: string | number) => new Decimal(v);
let seq = 0;

async function scene(handle: DbHandle) {
  const clock = new FakeClock('2026-06-20T08:00:00.000Z');
  const phone = `1370${String(Date.now() % 1e5).padStart(5, '0')}${String(++seq).padStart(2, '0')}`;
  const driver = await createUser(handle.db, { role: 'driver', phone, name: 'Wang', password: 'a-long-test-password', plateNumber: '粤B·12345' });
  const wallet = (await walletOf(handle.db, driver.id))!;
  const hours = (sourceId: string, units: string, date = '2026-06-10') =>
    handle.db.transaction((tx) =>
      earn(tx, clock, { driverId: driver.id, source: 'volunteering', sourceId, activityAt: localMidnight(date), units: d(units), reason: 'convoy' }),
    );
  return { clock, db: handle.db, driver, wallet, hours };
}

it('local dates are counted in the programme time zone (UTC+8)', () => {
  expect(localMidnight('2026-06-10').toISOString()).toBe('2026-06-09T16:00:00.000Z');
  expect(localDate(new Date('2026-06-09T16:00:00.000Z'))).toBe('2026-06-10');
  expect(localDate(new Date('2026-06-09T15:59:59.999Z'))).toBe('2026-06-09');
});

it('payment arithmetic: per-unit points, caps, minimum hours and grade multipliers', () => {
  const terms = RuleTerms.parse({ points: '10', unit: 'hour', caps: { month: '40' }, minHours: '1' });
  expect(paymentFor(terms, { requested: d(3), used: { month: d(38) }, grade: null }).points.toFixed(2)).toBe('20.00');
  expect(paymentFor(terms, { requested: d(3), used: { month: d(40) }, grade: null }).points.toFixed(2)).toBe('0.00');
  expect(paymentFor(terms, { requested: d('0.5'), used: {}, grade: null }).points.toFixed(2)).toBe('0.00');
  expect(paymentFor(terms, { requested: d('2.5'), used: {}, grade: 'AAA' }).points.toFixed(2)).toBe('30.00');
  expect(paymentFor(terms, { requested: d('2.5'), used: {}, grade: 'AA' }).points.toFixed(2)).toBe('27.50');
  const own = RuleTerms.parse({ points: '5', unit: 'report', multipliers: { AAA: '2' }, pointsByCategory: { road_collapse: '10' } });
  expect(paymentFor(own, { requested: d(1), used: {}, grade: 'AAA', category: 'road_collapse' }).points.toFixed(2)).toBe('20.00');
  expect(paymentFor(own, { requested: d(1), used: {}, grade: 'AA', category: 'pothole' }).points.toFixed(2)).toBe('5.50');
});

describeEachBackend('earning core', (current) => {
  it('pays the default volunteering rule through the ledger, once per activity', async () => {
    const { db, wallet, hours, clock } = await scene(current());
    const first = await hours('claim-1', '3');
    expect(first.paid && first.earning.points.toFixed(2)).toBe('30.00');
    const again = await hours('claim-1', '3');
    expect(again.paid && again.replayed).toBe(true);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('30.00');
    expect((await verify(db, clock.now())).ok).toBe(true);
  });

  it('the monthly cap holds exactly at the boundary and resets next month', async () => {
    const { db, wallet, hours } = await scene(current());
    await hours('a', '24', '2026-06-01');
    const partial = await hours('b', '20', '2026-06-30');
    expect(partial.paid && [partial.earning.units, partial.earning.points.toFixed(2)]).toEqual(['16.00', '160.00']);
    const none = await hours('c', '1', '2026-06-15');
    expect(none.paid && [none.earning.units, none.earning.points.toFixed(2), none.earning.transferId]).toEqual(['0.00', '0.00', null]);
    const july = await hours('d', '2', '2026-07-01');
    expect(july.paid && july.earning.points.toFixed(2)).toBe('20.00');
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('420.00');
  });

  it('a rule change mid-month pays earlier activity under the old version', async () => {
    const { db, hours } = await scene(current());
    const v1 = (await ruleVersionAt(db, 'volunteering', new Date('2026-06-01T00:00:00Z')))!;
    const [v2] = await db
      .insert(rewardRuleVersions)
      .values({ ruleId: v1.ruleId, version: 2, effectiveFrom: localMidnight('2026-06-15'), terms: { points: '12', unit: 'hour' } })
      .returning();
    const before = await hours('early', '2', '2026-06-14');
    const after = await hours('late', '2', '2026-06-15');
    expect(before.paid && [before.earning.ruleVersionId, before.earning.points.toFixed(2)]).toEqual([v1.id, '20.00']);
    expect(after.paid && [after.earning.ruleVersionId, after.earning.points.toFixed(2)]).toEqual([v2!.id, '24.00']);
    const rows = await db.select().from(earnings).where(eq(earnings.sourceId, 'early'));
    expect(rows).toHaveLength(1);
  });
});

describeEachBackend('earning in bulk', (current) => {
  it('earnMany pays a batch set-based: caps count in order, replays answer from the first payment', async () => {
    const { db, clock, driver, wallet } = await scene(current());
    const other = await scene(current());
    const at = localMidnight('2026-06-05');
    const input = (driverId: string, sourceId: string, units: string) =>
      ({ driverId, source: 'volunteering' as const, sourceId, activityAt: at, units: d(units), reason: 'import' });
    const batch = [input(driver.id, 'x1', '30'), input(other.driver.id, 'y1', '5'), input(driver.id, 'x2', '30')];
    const first = await db.transaction((tx) => earnMany(tx, clock, batch));
    expect(first.map((r) => r.paid && r.earning.points.toFixed(2))).toEqual(['300.00', '50.00', '100.00']);
    const again = await db.transaction((tx) => earnMany(tx, clock, batch));
    expect(again.map((r) => r.paid && r.replayed)).toEqual([true, true, true]);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('400.00');
    expect((await balance(db, other.wallet)).available.toFixed(2)).toBe('50.00');
    expect((await verify(db, clock.now())).ok).toBe(true);
  });
});

describeEachBackend('earning in bulk, set-based path', (current) => {
  it('a batch of 60 goes through ledger_issue_many with the same caps, keys and replays', async () => {
    const { db, clock, driver, wallet } = await scene(current());
    const at = localMidnight('2026-06-05');
    // 60 one-hour activities for one driver: the 40-hour monthly cap pays the first 40 only
    const batch = Array.from({ length: 60 }, (_, i) => ({
      driverId: driver.id, source: 'volunteering' as const, sourceId: `bulk-${i}`, activityAt: at, units: d(1), reason: 'import',
    }));
    const first = await db.transaction((tx) => earnMany(tx, clock, batch));
    expect(first.filter((r) => r.paid && r.earning.points.gt(0))).toHaveLength(40);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('400.00');
    const again = await db.transaction((tx) => earnMany(tx, clock, batch));
    expect(again.every((r) => r.paid && r.replayed)).toBe(true);
    const single = await db.transaction((tx) => earn(tx, clock, batch[0]!));
    expect(single.paid && single.replayed && single.earning.transferId).toBe(first[0]!.paid && first[0]!.earning.transferId);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('400.00');
    expect((await verify(db, clock.now())).ok).toBe(true);
  });
});

describeEachBackend(
  'earning races',
  (current) => {
    it('concurrent payments for one driver never exceed the monthly cap together', async () => {
      const { db, wallet, hours } = await scene(current());
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => hours(`race-${i}`, '10', '2026-06-12')));
      const units = results.reduce((sum, r) => sum.plus(r.paid ? r.earning.units : 0), d(0));
      expect(units.toFixed(2)).toBe('40.00');
      expect((await balance(db, wallet)).available.toFixed(2)).toBe('400.00');
    });
  },
  { postgresOnly: true },
);

it('an activity the rule excludes (category, minimum hours) counts no units against the caps', () => {
  const terms = RuleTerms.parse({ points: '5', unit: 'report', categories: ['pothole'], caps: { month: '30' } });
  const excluded = paymentFor(terms, { requested: d(1), used: {}, grade: null, category: 'sanitation' });
  expect([excluded.units.toFixed(2), excluded.points.toFixed(2)]).toEqual(['0.00', '0.00']);
  const short = paymentFor(RuleTerms.parse({ points: '10', unit: 'hour', minHours: '2' }), { requested: d('1.5'), used: {}, grade: null });
  expect(short.units.toFixed(2)).toBe('0.00');
});
