// What a redeem waits for (migration 0012). A partner's settlement account is not a hot row
// (DESIGN §4): while one redeem of a partner's offer is still in its transaction, other drivers
// redeem that partner's other offers, alone and in a batch, without waiting for it; the same
// offer waits (its stock is the row that must serialise). A batch takes its stock at its end: if
// another transaction took that stock meanwhile, the batch writes nothing and its redeems run one
// by one. Real PostgreSQL only (PGlite has one connection).

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, type Db } from '../../db/client';
import { FakeClock, type Clock } from '../../api/clock';
import type { SessionUser } from '../../api/http/env';
import { redeem, redeemBatching } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { extraConnections, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes } from './market-race-support';

/** `work`'s result, or 'still waiting' if it has not settled within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A redeem in a transaction left open (its wallet and offer rows locked) until `release()`; `open` settles when it commits. */
async function redeemInOpenTransaction(db: Db, clock: Clock, driver: SessionUser, offerId: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let redeemed!: () => void;
  const inside = new Promise<void>((resolve) => (redeemed = resolve));
  const open = db.transaction(async (tx) => {
    await redeem(tx, clock, driver, offerId, 'in-open-transaction');
    redeemed();
    await gate;
  });
  await Promise.race([inside, open]);
  return { open, release };
}

describeEachBackend(
  'market: what a redeem waits for',
  (current) => {
    const more = extraConnections(current);

    it("redeems of a partner's other offers go through while one redeem's transaction is open; the same offer waits", async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const held = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5 });
      const others = [
        await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5, title: 'Oil change' }),
        await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5, title: 'Tyre check' }),
        await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5, title: 'Wheel alignment' }),
      ];
      const [first, ...drivers] = await raceDrivers(db, clock, 5, '100.00');
      const holder = await more.pool(1);
      const pool = await more.pool(4);

      const { open, release } = await redeemInOpenTransaction(holder.db, clock, first!.user, held.id);

      try {
        // Three at once: the first goes alone (market_redeem), the others wait for it and go as a batch (market_redeem_many).
        const before = { ...redeemBatching };
        const meanwhile = Promise.all(others.map((offer, i) => redeem(pool.db, clock, drivers[i]!.user, offer.id, `meanwhile-${i}`)));
        const done = await within(10_000, meanwhile);
        expect(done, "the other offers' redeems waited for the open transaction").not.toBe('still waiting');
        expect((done as Awaited<typeof meanwhile>).map((r) => r.redemption.status)).toEqual(['held', 'held', 'held']);
        expect(redeemBatching.batches - before.batches, 'some went as a batch').toBeGreaterThan(0);

        // The offer the open transaction took from stock: its row is locked until that commits.
        const sameOffer = redeem(pool.db, clock, drivers[3]!.user, held.id, 'same-offer');
        expect(await within(500, sameOffer)).toBe('still waiting');
        release();
        await open;
        expect((await sameOffer).redemption.status).toBe('held');
      } finally {
        release();
        await open.catch(() => {});
      }

      const issued = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from redemptions where partner_id = ${partner.id}`);
      expect(issued!.n).toBe('5');
      for (const offer of [held, ...others]) await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });

    it('a batch whose stock another transaction took meanwhile writes nothing; its redeems then run one by one', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const scarce = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 3 });
      const other = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5, title: 'Oil change' });
      const [first, lead, ...batch] = await raceDrivers(db, clock, 5, '100.00');
      const holder = await more.pool(1);
      const pool = await more.pool(4);

      // An open transaction takes one of the three: committed stock still reads 3 until it commits.
      const { open, release } = await redeemInOpenTransaction(holder.db, clock, first!.user, scarce.id);

      try {
        const before = { ...redeemBatching };
        // The lead goes at once, alone; the three behind it go as one batch, which reads a stock of
        // 3, issues three vouchers and then waits for the offer's row to write the stock.
        const leading = redeem(pool.db, clock, lead!.user, other.id, 'lead');
        const batched = batch.map((d, i) => outcome(redeem(pool.db, clock, d.user, scarce.id, `batched-${i}`)));
        await leading;
        await waitForLockWaiters(db, 1);
        release();
        await open;
        // Only 2 were left: the batch wrote nothing, and its three redeems ran alone.
        expect(tallyOutcomes(await Promise.all(batched))).toEqual({ ok: 2, out_of_stock: 1 });
        expect(redeemBatching.batchesRunAlone - before.batchesRunAlone).toBe(1);
      } finally {
        release();
        await open.catch(() => {});
      }

      const left = await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${scarce.id}`);
      expect(left!.n).toBe(0);
      await expectMarketConsistent(db, scarce.id);
      await expectMarketConsistent(db, other.id);
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
