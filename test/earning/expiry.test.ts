// Points expiry: points expire `months` after they were earned, oldest first (spending takes the
// oldest points), through the ledger into the `expired` account, once per driver per day; held
// points wait; expiry can be switched off; a notice arrives once, `noticeDays` before.

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { grantAward } from '../../api/earning/awards';
import { expirePoints } from '../../api/earning/expiry';
import { PROGRAMME_ACCOUNTS, walletOf } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { balance, verify } from '../../api/ledger/reads';
import type { DbHandle } from '../../db/client';
import { notifications } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';

const NOW = '2026-06-01T04:00:00.000Z'; // noon in the programme's time zone

async function scene(handle: DbHandle) {
  const t = testApp(handle);
  const committee = await t.signedIn('committee');
  const driver = await t.signedIn('driver');
  /** A session at the clock's current time (tests move the clock by years). */
  const tokenOf = async (user: { phone: string; password: string }) => {
    const res = await t.call('POST', '/api/auth/login', { body: { phone: user.phone, password: user.password } });
    expect(res.status, res.text).toBe(200);
    return res.json.token as string;
  };
  const wallet = (await walletOf(t.db, driver.id))!;
  const ledger = createLedger(t.db, t.clock, { batching: false });
  const earnAt = async (at: string, points: string) => {
    t.clock.set(at);
    await grantAward(t.db, t.clock, committee.id, { driverId: driver.id, points: new Decimal(points), reason: 'test earning' }, randomUUID());
  };
  const spendAt = async (at: string, points: string) => {
    t.clock.set(at);
    await ledger.transfer({ key: `spend:${randomUUID()}`, debit: wallet, credit: PROGRAMME_ACCOUNTS.settled, amount: new Decimal(points), code: 'test-spend' });
  };
  const runAt = async (at: string) => {
    t.clock.set(at);
    return expirePoints(t.db, t.clock);
  };
  const posted = async () => (await balance(t.db, wallet)).posted.toFixed(2);
  const expiredTotal = async () => (await balance(t.db, PROGRAMME_ACCOUNTS.expired)).posted.toFixed(2);
  const notices = (kind: string) =>
    t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, driver.id), eq(notifications.kind, kind)))
      .orderBy(notifications.createdAt);
  const outlook = async () => {
    const res = await t.call('GET', '/api/me/points-expiry', { token: await tokenOf(driver) });
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  return { t, committee, driver, tokenOf, wallet, ledger, earnAt, spendAt, runAt, posted, expiredTotal, notices, outlook };
}

describeEachBackend('points expiry', (current) => {
  it('points earned 25 months ago expire into the expired account; points earned 23 months ago do not', async () => {
    const s = await scene(current());
    await s.earnAt('2024-05-01T04:00:00.000Z', '100.00');
    await s.earnAt('2024-07-01T04:00:00.000Z', '40.00');
    const run = await s.runAt(NOW);
    expect([run.date, run.drivers, run.expired.toFixed(2), run.failures]).toEqual(['2026-06-01', 1, '100.00', []]);
    expect(await s.posted()).toBe('40.00');
    expect(await s.expiredTotal()).toBe('100.00');
    const statement = await s.t.call('GET', '/api/me/statement', { token: await s.tokenOf(s.driver) });
    expect(statement.json.lines[0]).toMatchObject({ code: 'expire', amount: '-100.00', balanceAfter: '40.00' });
    expect((await s.notices('points_expired')).map((n) => n.data)).toEqual([{ points: '100.00', date: '2026-06-01' }]);
    expect((await verify(s.t.db, s.t.clock.now())).ok).toBe(true);
  });

  it('spending takes the oldest points first: after spending 30 of an old 100, 70 expire and the newer 50 stay', async () => {
    const s = await scene(current());
    await s.earnAt('2024-05-01T04:00:00.000Z', '100.00');
    await s.earnAt('2025-08-01T04:00:00.000Z', '50.00');
    await s.spendAt('2026-01-01T04:00:00.000Z', '30.00');
    const run = await s.runAt(NOW);
    expect(run.expired.toFixed(2)).toBe('70.00');
    expect(await s.posted()).toBe('50.00');
    const outlook = await s.outlook();
    expect(outlook).toMatchObject({ enabled: true, months: 24, noticeDays: 30, next: { date: '2027-08-01', points: '50.00' }, total: '50.00' });
  });

  it('held points are not expired; they are caught on a later run once released', async () => {
    const s = await scene(current());
    await s.earnAt('2024-05-01T04:00:00.000Z', '100.00');
    s.t.clock.set('2026-05-20T04:00:00.000Z');
    const hold = await s.ledger.hold({ key: `hold:${randomUUID()}`, debit: s.wallet, credit: PROGRAMME_ACCOUNTS.settled, amount: new Decimal('80.00') });
    const first = await s.runAt(NOW);
    expect(first.expired.toFixed(2)).toBe('20.00');
    const b = await balance(s.t.db, s.wallet);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['80.00', '80.00', '0.00']);
    await s.ledger.void({ key: `void:${randomUUID()}`, holdId: hold.transferId });
    // the same day the driver's expiry is done; the next day's run takes the released points
    expect((await s.runAt('2026-06-01T10:00:00.000Z')).expired.toFixed(2)).toBe('0.00');
    expect((await s.runAt('2026-06-02T04:00:00.000Z')).expired.toFixed(2)).toBe('80.00');
    expect(await s.posted()).toBe('0.00');
    expect(await s.expiredTotal()).toBe('100.00');
    expect((await verify(s.t.db, s.t.clock.now())).ok).toBe(true);
  });

  it('with expiry switched off nothing expires and the driver is told so', async () => {
    const s = await scene(current());
    await s.earnAt('2023-01-01T04:00:00.000Z', '100.00');
    s.t.clock.set(NOW);
    const off = await s.t.call('PUT', '/api/programme-settings/expiry', { token: await s.tokenOf(s.committee), body: { months: null, noticeDays: 30 } });
    expect(off.status, off.text).toBe(200);
    const run = await s.runAt(NOW);
    expect([run.enabled, run.drivers, run.expired.toFixed(2), run.notices]).toEqual([false, 0, '0.00', 0]);
    expect(await s.posted()).toBe('100.00');
    expect(await s.outlook()).toEqual({ enabled: false, months: null, noticeDays: 30, next: null, schedule: [], total: '0.00' });
  });

  it('re-running the job the same day expires nothing more', async () => {
    const s = await scene(current());
    await s.earnAt('2024-01-01T04:00:00.000Z', '100.00');
    await s.earnAt('2024-02-01T04:00:00.000Z', '60.00');
    expect((await s.runAt(NOW)).expired.toFixed(2)).toBe('160.00');
    await s.earnAt('2026-06-01T05:00:00.000Z', '10.00');
    const again = await s.runAt('2026-06-01T15:00:00.000Z'); // 23:00 local, still the same day
    expect([again.drivers, again.expired.toFixed(2)]).toEqual([0, '0.00']);
    expect(await s.expiredTotal()).toBe('160.00');
    expect(await s.posted()).toBe('10.00');
  });

  it('a notice is written once, 30 days before the points expire, and not a day earlier', async () => {
    const s = await scene(current());
    await s.earnAt('2024-06-15T04:00:00.000Z', '100.00');
    expect((await s.runAt('2026-05-15T04:00:00.000Z')).notices).toBe(0); // 31 days before
    expect((await s.runAt('2026-05-16T04:00:00.000Z')).notices).toBe(1); // 30 days before
    expect((await s.runAt('2026-05-16T09:00:00.000Z')).notices).toBe(0);
    expect((await s.runAt('2026-05-17T04:00:00.000Z')).notices).toBe(0);
    const expiring = await s.notices('points_expiring');
    expect(expiring.map((n) => [n.title, n.data, n.createdAt.toISOString()])).toEqual([
      ['100.00 points expire on 2026-06-15', { points: '100.00', expiresOn: '2026-06-15' }, '2026-05-16T04:00:00.000Z'],
    ]);
    const inbox = await s.t.call('GET', '/api/me/notifications', { token: await s.tokenOf(s.driver) });
    expect(inbox.json).toMatchObject({ unread: 1, items: [{ kind: 'points_expiring', title: '100.00 points expire on 2026-06-15' }] });
    expect(await s.outlook()).toMatchObject({ next: { date: '2026-06-15', points: '100.00' } });
    // on the day, after the hour it was earned, the points go
    expect((await s.runAt('2026-06-15T03:00:00.000Z')).expired.toFixed(2)).toBe('0.00');
    expect((await s.runAt('2026-06-15T05:00:00.000Z')).expired.toFixed(2)).toBe('100.00');
    expect(await s.notices('points_expiring')).toHaveLength(1);
  });

  it('the outlook lists amounts by date, soonest first, after oldest-first spending', async () => {
    const s = await scene(current());
    await s.earnAt('2024-07-10T04:00:00.000Z', '10.00');
    await s.earnAt('2024-08-10T04:00:00.000Z', '20.00');
    await s.earnAt('2025-01-10T04:00:00.000Z', '30.00');
    await s.earnAt('2025-01-10T06:00:00.000Z', '5.00');
    await s.spendAt('2025-03-01T04:00:00.000Z', '15.00');
    s.t.clock.set(NOW);
    expect(await s.outlook()).toEqual({
      enabled: true,
      months: 24,
      noticeDays: 30,
      next: { date: '2026-08-10', points: '15.00' },
      schedule: [
        { date: '2026-08-10', points: '15.00' },
        { date: '2027-01-10', points: '35.00' },
      ],
      total: '50.00',
    });
    expect((await s.runAt(NOW)).expired.toFixed(2)).toBe('0.00');
  });

  it('points credited without an earning (a committee adjustment) count from the day they arrived, not as already expired', async () => {
    const s = await scene(current());
    await s.earnAt('2024-05-01T04:00:00.000Z', '100.00');
    s.t.clock.set('2025-09-01T04:00:00.000Z');
    const credit = await s.ledger.transfer({ key: `adjust:${randomUUID()}`, debit: PROGRAMME_ACCOUNTS.issuance, credit: s.wallet, amount: new Decimal('60.00'), code: 'adjust', reason: 'goodwill' });
    expect(credit.ok).toBe(true);

    const run = await s.runAt(NOW);
    expect([run.drivers, run.expired.toFixed(2)]).toEqual([1, '100.00']);
    expect(await s.posted()).toBe('60.00');
    expect(await s.outlook()).toMatchObject({ next: { date: '2027-09-01', points: '60.00' }, total: '60.00' });

    expect((await s.runAt('2027-09-02T04:00:00.000Z')).expired.toFixed(2)).toBe('60.00');
    expect(await s.posted()).toBe('0.00');
    expect((await verify(s.t.db, s.t.clock.now())).ok).toBe(true);
  });

  it('shortening the expiry period makes older points due today, shown as due today before the run', async () => {
    const s = await scene(current());
    await s.earnAt('2025-01-01T04:00:00.000Z', '70.00');
    await s.earnAt('2026-03-01T04:00:00.000Z', '30.00');
    s.t.clock.set(NOW);
    const put = await s.t.call('PUT', '/api/programme-settings/expiry', { token: await s.tokenOf(s.committee), body: { months: 12, noticeDays: 30 } });
    expect(put.status).toBe(200);
    expect(await s.outlook()).toMatchObject({ months: 12, schedule: [{ date: '2026-06-01', points: '70.00' }, { date: '2027-03-01', points: '30.00' }] });
    expect((await s.runAt(NOW)).expired.toFixed(2)).toBe('70.00');
    expect(await s.outlook()).toMatchObject({ schedule: [{ date: '2027-03-01', points: '30.00' }], total: '30.00' });
  });

  it('only drivers can read an expiry outlook', async () => {
    const s = await scene(current());
    const res = await s.t.call('GET', '/api/me/points-expiry', { token: await s.tokenOf(s.committee) });
    expect(res.status).toBe(403);
    expect((await s.t.call('GET', '/api/me/points-expiry')).status).toBe(401);
  });
});
