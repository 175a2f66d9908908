// Stock of 5, 100 drivers redeeming at once: exactly 5 vouchers, stock 0, 95 out_of_stock, and
// nobody's points held without a voucher. Each redeem runs on one of 50 server connections; in
// the gated run all 50 are waiting on the offer's row when it opens. Real PostgreSQL only.
// Each redeem runs alone (`alone: true`), in its own transaction, as redeems from separate server
// processes do; one process's batching is in redeem-batching.test.ts.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { redeem } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, extraConnections, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { closeOfferGate, expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes, type Outcome, type RaceDriver } from './market-race-support';

describeEachBackend(
  'market: 100 drivers race for a stock of 5',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { stock: 5, price: '50.00', perDriverLimit: 1 });
      const drivers = await raceDrivers(db, clock, 100, '80.00');
      return { clock, db, offer, drivers, partner };
    }

    async function expectExactlyFive(db: Db, offerId: string, drivers: RaceDriver[], outcomes: Array<Outcome<unknown>>, now: Date) {
      expect(tallyOutcomes(outcomes)).toEqual({ ok: 5, out_of_stock: 95 });
      const stock = await queryOne<{ left_: number }>(db, sql`select stock_left as left_ from offers where id = ${offerId}`);
      expect(stock!.left_).toBe(0);
      const rows = await queryRows<{ driver_id: string; status: string }>(db, sql`select driver_id::text, status from redemptions where offer_id = ${offerId}`);
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.status === 'held')).toBe(true);
      const winners = new Set(rows.map((r) => r.driver_id));
      for (const [i, d] of drivers.entries()) {
        const b = await balance(db, d.wallet);
        const won = winners.has(d.user.id);
        expect(won, `driver ${i}: the outcome and the redemption rows agree`).toBe(outcomes[i]!.ok);
        expect([b.posted.toFixed(2), b.held.toFixed(2)], `driver ${i}`).toEqual(['80.00', won ? '50.00' : '0.00']);
      }
      expect((await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_open_holds`))!.n).toBe('5');
      await expectMarketConsistent(db, offerId);
      await expectLedgerSound(db, now);
    }

    it('gated: 50 redeems waiting on the offer row at once, 100 in all → exactly 5 vouchers', async () => {
      const { clock, db, offer, drivers } = await setup();
      const pools = await more.pools(2, 25);
      const raw = await more.raw(1);
      const gate = await closeOfferGate(raw, offer.id);
      const calls = drivers.map((d, i) => outcome(redeem(pools[i % 2]!.db, clock, d.user, offer.id, `stock-race-${i}`, { alone: true })));
      await waitForLockWaiters(db, 50);
      await gate.open();
      const outcomes = await allOutcomes(calls);
      await expectExactlyFive(db, offer.id, drivers, outcomes, clock.now());
    });

    it('ungated, from four pools in a shuffled order → exactly 5 vouchers', async () => {
      const { clock, db, offer, drivers } = await setup();
      const pools = await more.pools(4, 12);
      const calls = drivers.map((d, i) => outcome(redeem(pools[(i * 7) % 4]!.db, clock, d.user, offer.id, `stock-race-${i}`, { alone: true })));
      const outcomes = await allOutcomes(calls);
      await expectExactlyFive(db, offer.id, drivers, outcomes, clock.now());
    });
  },
  { postgresOnly: true },
);
