// The grade at work: earning multipliers (through earn()), prices and grade gates in the market,
// all from the rating policy in force; and spending points never touches the grade.

import Decimal from 'decimal.js';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { earn, localMidnight } from '../../api/earning/earn';
import { regradeDriver } from '../../api/rating/engine';
import { createPolicyVersion } from '../../api/rating/policies';
import { DEFAULT_POLICY, type RatingPolicy } from '../../api/rating/policy';
import type { DbHandle } from '../../db/client';
import { users } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { bare, marketScene } from '../market/market-support';
import { addHours, addReports, countRows, daysBefore, storedRating } from './rating-support';

async function scene(handle: DbHandle) {
  const m = await marketScene(handle);
  const garage = await m.addPartner();
  /** A driver with `points`, graded AAA (perfect record, joined 400 days ago) or left at B. */
  const driver = async (grade: 'AAA' | 'B', points = '0.00') => {
    const d = await m.addDriver(points);
    await m.db.update(users).set({ createdAt: daysBefore(m.clock.now(), 400) }).where(eq(users.id, d.id));
    if (grade === 'AAA') {
      await addReports(m.db, d.id, 10, daysBefore(m.clock.now(), 20));
      await addHours(m.db, d.id, '20', '2026-05-10');
    }
    const graded = await regradeDriver(m.db, m.clock, d.id);
    expect(graded!.scored.grade).toBe(grade);
    return d;
  };
  const pay2Hours = (driverId: string, claim: string) =>
    m.db.transaction((tx) =>
      earn(tx, m.clock, { driverId, source: 'volunteering', sourceId: claim, activityAt: localMidnight('2026-05-25'), units: new Decimal(2), reason: 'exam-day volunteering' }),
    );
  return { m, garage, driver, pay2Hours };
}

describeEachBackend('rating benefits in earning and the market', (current) => {
  it('an AAA driver earns ×1.2 on the same volunteering hours; a B driver ×1', async () => {
    const { driver, pay2Hours } = await scene(current());
    const aaa = await driver('AAA');
    const b = await driver('B');
    const top = await pay2Hours(aaa.id, 'claim-aaa');
    const base = await pay2Hours(b.id, 'claim-b');
    expect(top.paid && [top.earning.grade, top.earning.multiplier, top.earning.basePoints.toFixed(2), top.earning.points.toFixed(2)]).toEqual(['AAA', '1.200', '20.00', '24.00']);
    expect(base.paid && [base.earning.grade, base.earning.multiplier, base.earning.points.toFixed(2)]).toEqual(['B', '1.000', '20.00']);
  });

  it('AAA pays 10 % less and may redeem an AA-gated offer; B pays full price and is refused the gated one', async () => {
    const { m, garage, driver } = await scene(current());
    const aaa = await driver('AAA', '500.00');
    const b = await driver('B', '500.00');
    const offer = await m.activeOffer(garage.staff.token, { title: 'Brake service', price: '100.00' });
    const gated = await m.activeOffer(garage.staff.token, { title: 'Engine overhaul', price: '250.00', minGrade: 'AA' });

    const forAaa = (await m.catalog(aaa.token, { sort: 'price_asc' })).items.map((o) => [o.title, o.yourPrice, o.qualifies]);
    expect(forAaa).toEqual([
      ['Brake service', '90.00', true],
      ['Engine overhaul', '225.00', true],
    ]);
    const forB = (await m.catalog(b.token, { sort: 'price_asc' })).items.map((o) => [o.title, o.yourPrice, o.qualifies]);
    expect(forB).toEqual([
      ['Brake service', '100.00', true],
      ['Engine overhaul', '250.00', false],
    ]);

    expect((await m.voucher(aaa.token, offer.id)).price).toBe('90.00');
    expect((await m.voucher(aaa.token, gated.id)).price).toBe('225.00');
    expect((await m.voucher(b.token, offer.id)).price).toBe('100.00');
    // The wallet names the grade that priced these: the stored one, or B before any grading.
    expect((await m.call('GET', '/api/me/wallet', { token: aaa.token })).json.grade).toBe('AAA');
    expect((await m.call('GET', '/api/me/wallet', { token: b.token })).json.grade).toBe('B');
    const refused = await m.redeem(b.token, gated.id);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'grade_too_low', detail: 'this offer needs grade AA or better; your grade is B' });
  });

  it('the multiplier and the discount come from the rating policy in force', async () => {
    const { m, garage, driver, pay2Hours } = await scene(current());
    const aaa = await driver('AAA', '100.00');
    const generous: RatingPolicy = { ...DEFAULT_POLICY, benefits: { ...DEFAULT_POLICY.benefits, AAA: { earningMultiplier: '1.5', priceDiscount: '0.20' } } };
    await createPolicyVersion(m.db, m.clock, m.committee.id, { policy: generous });
    expect((await storedRating(m.db, aaa.id))!.grade).toBe('AAA');

    const paid = await pay2Hours(aaa.id, 'claim-generous');
    expect(paid.paid && [paid.earning.multiplier, paid.earning.points.toFixed(2)]).toEqual(['1.500', '30.00']);
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00' });
    expect((await m.catalog(aaa.token)).items.find((o) => o.id === offer.id)!.yourPrice).toBe('80.00');
    expect((await m.call('GET', '/api/me/rating', { token: aaa.token })).json.benefits).toEqual({ earningMultiplier: '1.5', priceDiscount: '0.20' });
  });

  it('spending every point leaves the grade, the score and the history unchanged', async () => {
    const { m, garage, driver } = await scene(current());
    const aaa = await driver('AAA', '90.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00' });
    const before = await storedRating(m.db, aaa.id);
    const history = await countRows(m.db, 'rating_history');

    const v = await m.voucher(aaa.token, offer.id); // 90.00 after the AAA discount: everything
    expect((await m.confirm(garage.staff.token, bare(v.code))).status).toBe(200);
    expect(await m.walletOfDriver(aaa.wallet)).toEqual({ posted: '0.00', held: '0.00', available: '0.00' });

    const again = await regradeDriver(m.db, m.clock, aaa.id);
    expect(again).toMatchObject({ changed: false, scored: { grade: 'AAA' } });
    const rating = await m.call('GET', '/api/me/rating', { token: aaa.token });
    expect(rating.json).toMatchObject({ grade: 'AAA', score: '100.00' });
    expect(await storedRating(m.db, aaa.id)).toEqual(before);
    expect(await countRows(m.db, 'rating_history')).toBe(history);
  });
});
