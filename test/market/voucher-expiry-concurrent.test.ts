// The voucher expiry job with several server processes, and while drivers redeem: four sweeps at
// once expire every due voucher exactly once; the sweep never keeps an offer's row locked while
// it waits for a wallet (a redeem holds its wallet, then wants the offer: that would deadlock);
// and a sweep racing drivers' new redeems of the same offer lets no error reach anyone. Real
// PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { expireRedemptions, redeem, VOUCHER_DAYS } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, closeGate, extraConnections, lockWaiters, range, waitForLockWaiters } from '../ledger/race-support';
import { DAY, expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes } from './market-race-support';

/** Whether `work` finishes on its own, or a second backend starts waiting on a lock first. */
async function finishedOrBlocked(db: Db, work: Promise<unknown>): Promise<'finished' | 'blocked'> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (done) return 'finished';
    if ((await lockWaiters(db)) >= 2) return 'blocked';
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('neither finished nor blocked within 10 s');
}

describeEachBackend(
  'market: the voucher expiry job, concurrently',
  (current) => {
    const more = extraConnections(current);

    it('four sweeps at once over 60 due vouchers: each expired exactly once, stock fully restored', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offers = [
        await raceOffer(db, clock, committee, partner.id, { price: '5.00', stock: 40, perDriverLimit: 40 }),
        await raceOffer(db, clock, committee, partner.id, { price: '7.50', stock: 40, perDriverLimit: 40 }),
      ];
      const drivers = await raceDrivers(db, clock, 6, '100.00');
      for (const i of range(60)) await redeem(db, clock, drivers[i % 6]!.user, offers[i % 2]!.id, `due-${i}`);
      clock.advance(VOUCHER_DAYS * DAY);

      const pools = await more.pools(4, 1);
      const counts = await allOutcomes(pools.map((p) => expireRedemptions(p.db, clock, 1000)));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
      expect(await expireRedemptions(db, clock)).toBe(0);

      const expired = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from redemptions where status = 'expired'`);
      expect(expired[0]!.n).toBe('60');
      const voids = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_transfers where type = 'void_pending'`);
      expect(voids!.n).toBe('60');
      for (const o of offers) {
        expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${o.id}`))!.n).toBe(40);
        await expectMarketConsistent(db, o.id);
      }
      for (const d of drivers) expect((await balance(db, d.wallet)).held.toFixed(2)).toBe('0.00');
      await expectLedgerSound(db, clock.now());
    });

    it('a sweep stuck on one wallet holds no offer: a redeem of that offer goes straight through, and nothing deadlocks', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 4, perDriverLimit: 10, limitPeriod: 'ever' });
      const [d1, d2, d3] = await raceDrivers(db, clock, 3, '100.00');
      // three vouchers, expiring a millisecond apart: the sweep takes them in this order; one
      // voucher is left in stock, so a redeem of the offer does need its row
      for (const [i, d] of [d1!, d2!, d3!].entries()) {
        await redeem(db, clock, d.user, offer.id, `old-${i}`);
        clock.advance(1);
      }
      clock.advance(VOUCHER_DAYS * DAY);
      const [sweepPool, redeemPool] = await more.pools(2, 1);
      const raw = await more.raw(1);

      // the sweep expires d1's voucher (stock back to 2), then waits for d2's wallet
      const gate = await closeGate(raw, d2!.wallet);
      const sweep = expireRedemptions(sweepPool!.db, clock);
      await waitForLockWaiters(db, 1);

      // meanwhile d3 redeems the same offer: it must not have to wait for the sweep
      const again = outcome(redeem(redeemPool!.db, clock, d3!.user, offer.id, 'new'));
      expect(await finishedOrBlocked(db, again)).toBe('finished');
      await gate.open();

      const [swept, redeemed] = await Promise.all([sweep, again]);
      expect(swept).toBe(3);
      expect(redeemed.ok).toBe(true);
      expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(3);
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });

    it('a sweep over 25 drivers’ due vouchers of one offer, racing those drivers redeeming it again, 4 rounds: no error reaches anyone', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 25, perDriverLimit: 1000, limitPeriod: 'ever' });
      const drivers = await raceDrivers(db, clock, 25, '1000.00');
      const sweepers = await more.pools(2, 1);
      const redeemers = await more.pool(25);

      for (const round of range(4)) {
        // every driver holds one voucher, and the stock is all out
        for (const [i, d] of drivers.entries()) await redeem(db, clock, d.user, offer.id, `old-${round}-${i}`);
        expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(0);
        clock.advance(VOUCHER_DAYS * DAY);

        const sweeps = sweepers.map((p) => expireRedemptions(p.db, clock));
        const redeems = drivers.map((d, i) => outcome(redeem(redeemers.db, clock, d.user, offer.id, `new-${round}-${i}`)));
        const [swept, redeemed] = await Promise.all([allOutcomes(sweeps), allOutcomes(redeems)]);
        expect(swept.reduce((a, b) => a + b, 0), `round ${round}`).toBe(25);
        // a redeem finds stock only as the sweep returns it: some are out of stock, none failed otherwise
        const tally = tallyOutcomes(redeemed);
        expect(Object.keys(tally).filter((k) => k !== 'ok' && k !== 'out_of_stock'), `round ${round}: ${JSON.stringify(tally)}`).toEqual([]);
        await expectMarketConsistent(db, offer.id);

        // clear the board for the next round
        clock.advance(VOUCHER_DAYS * DAY);
        await expireRedemptions(db, clock, 1000);
        expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(25);
      }
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
