// A wallet good for 3 vouchers, 30 redeems at once: exactly 3 succeed, 27 are insufficient_funds,
// the wallet is never overdrawn and no stock is taken without a voucher. Once over 30 different
// offers, once over one offer with a high per-driver limit. All 30 wait on the wallet's row
// before it opens. Real PostgreSQL only.
// Each redeem runs alone (`alone: true`), in its own transaction, as redeems from separate server
// processes do; one process's batching is in redeem-batching.test.ts.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { redeem } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, closeGate, extraConnections, range, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes } from './market-race-support';

describeEachBackend(
  'market: one wallet good for 3, 30 redeems at once',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const [driver] = await raceDrivers(db, clock, 1, '300.00');
      return { clock, db, committee, partner, driver: driver! };
    }

    const redemptionsOf = async (db: Parameters<typeof queryOne>[0], driverId: string) =>
      Number((await queryOne<{ n: string }>(db, sql`select count(*)::text as n from redemptions where driver_id = ${driverId}`))!.n);

    it('30 different offers at 100 points each → exactly 3 vouchers', async () => {
      const { clock, db, committee, partner, driver } = await setup();
      const offers = [];
      for (const i of range(30)) offers.push(await raceOffer(db, clock, committee, partner.id, { title: `offer ${i}`, price: '100.00', stock: 10 }));
      const pool = await more.pool(30);
      const raw = await more.raw(1);
      const gate = await closeGate(raw, driver.wallet);
      const calls = offers.map((o, i) => outcome(redeem(pool.db, clock, driver.user, o.id, `wallet-race-${i}`, { alone: true })));
      await waitForLockWaiters(db, 30);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      expect(tallyOutcomes(outcomes)).toEqual({ ok: 3, insufficient_funds: 27 });
      const b = await balance(db, driver.wallet);
      expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['300.00', '300.00', '0.00']);
      expect(await redemptionsOf(db, driver.user.id)).toBe(3);
      const stock = await queryOne<{ taken: string }>(db, sql`select sum(stock_total - stock_left)::text as taken from offers`);
      expect(stock!.taken).toBe('3');
      for (const o of offers) await expectMarketConsistent(db, o.id);
      await expectLedgerSound(db, clock.now());
    });

    it('one offer with a per-driver limit of 100 → exactly 3 vouchers', async () => {
      const { clock, db, committee, partner, driver } = await setup();
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '100.00', stock: 100, perDriverLimit: 100 });
      const pool = await more.pool(30);
      const raw = await more.raw(1);
      const gate = await closeGate(raw, driver.wallet);
      const calls = range(30).map((i) => outcome(redeem(pool.db, clock, driver.user, offer.id, `wallet-race-${i}`, { alone: true })));
      await waitForLockWaiters(db, 30);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      expect(tallyOutcomes(outcomes)).toEqual({ ok: 3, insufficient_funds: 27 });
      const b = await balance(db, driver.wallet);
      expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['300.00', '300.00', '0.00']);
      expect(await redemptionsOf(db, driver.user.id)).toBe(3);
      await expectMarketConsistent(db, offer.id);
      expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(97);
      await expectLedgerSound(db, clock.now());
    });

    it('the per-driver limit holds under the same race: limit 2, plenty of points → exactly 2 vouchers', async () => {
      const { clock, db, committee, partner } = await setup();
      const [rich] = await raceDrivers(db, clock, 1, '10000.00');
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '100.00', stock: 100, perDriverLimit: 2, limitPeriod: 'month' });
      const pool = await more.pool(30);
      const raw = await more.raw(1);
      const gate = await closeGate(raw, rich!.wallet);
      const calls = range(30).map((i) => outcome(redeem(pool.db, clock, rich!.user, offer.id, `limit-race-${i}`, { alone: true })));
      await waitForLockWaiters(db, 30);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      expect(tallyOutcomes(outcomes)).toEqual({ ok: 2, limit_reached: 28 });
      expect((await balance(db, rich!.wallet)).held.toFixed(2)).toBe('200.00');
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
