// A partner's settlement account is not a hot row (DESIGN §4): while one redeem of a partner's
// offer is still in its transaction, other drivers redeem that partner's other offers, alone and
// in a batch, without waiting for it. Same offer, same driver: those still wait (the stock and
// the wallet are the rows that must serialise). Real PostgreSQL only (PGlite has one connection).

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { redeem, redeemBatching } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { extraConnections } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, raceDrivers, raceOffer, racePartner } from './market-race-support';

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

describeEachBackend(
  'market: a partner is not a hot row',
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

      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let firstRedeemed!: () => void;
      const firstIn = new Promise<void>((resolve) => (firstRedeemed = resolve));
      const open = holder.db.transaction(async (tx) => {
        await redeem(tx, clock, first!.user, held.id, 'open-transaction');
        firstRedeemed();
        await gate;
      });
      await firstIn;

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
  },
  { postgresOnly: true },
);
