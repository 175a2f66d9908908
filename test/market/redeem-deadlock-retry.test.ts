// A redeem chosen as a deadlock victim runs again by itself: the driver gets a voucher, not a
// 500. The deadlock is made on purpose: another transaction holds the offer's row and then asks
// for the driver's wallet, which the redeem holds while it waits for the offer. PostgreSQL
// aborts the redeem (it waited first); nothing of it was written, so it simply runs again.
// Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { redeem } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { extraConnections, sqlState, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, raceDrivers, raceOffer, racePartner } from './market-race-support';

describeEachBackend(
  'market: a redeem that loses a deadlock',
  (current) => {
    const more = extraConnections(current);

    it('runs again and issues the voucher; the other transaction completes too', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5 });
      const [driver] = await raceDrivers(db, clock, 1, '100.00');
      const pool = await more.pool(1);
      const raw = await more.raw(1);

      const other = await raw.reserve();
      await other`begin`;
      await other`select 1 from offers where id = ${offer.id} for no key update`;
      const redeeming = redeem(pool.db, clock, driver!.user, offer.id, 'deadlock-victim');
      await waitForLockWaiters(db, 1); // the redeem holds the wallet and waits for the offer
      let otherFailed: string | undefined;
      const closing = (async () => {
        try {
          await other`select 1 from ledger_accounts where id = ${driver!.wallet} for no key update`;
          await other`commit`;
        } catch (error) {
          otherFailed = sqlState(error);
          await other`rollback`;
        } finally {
          other.release();
        }
      })();

      const result = await redeeming;
      await closing;
      expect(otherFailed, 'PostgreSQL picked the redeem as the victim').toBeUndefined();
      expect(result.replayed).toBe(false);
      expect(result.redemption.status).toBe('held');
      expect((await balance(db, driver!.wallet)).held.toFixed(2)).toBe('10.00');
      expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(4);
      const issued = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from redemptions`);
      expect(issued!.n).toBe('1');
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
