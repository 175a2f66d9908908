// Confirm vs cancel vs the expiry job racing on one voucher, round after round: exactly one of
// them resolves it, the losers are told why, the hold is posted or voided exactly once, and the
// stock and the ledger agree. The desk and the driver act a millisecond before the voucher
// expires, the job at the instant it expires, so each of the three can win. A second partner's
// desk races too, and is always refused. Every racer has its own connection. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { cancelRedemption, confirmVoucher, expireRedemptions, redeem, VOUCHER_DAYS } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, extraConnections, range, shuffled } from '../ledger/race-support';
import { DAY, expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, type Outcome } from './market-race-support';

const ROUNDS = 40;
const PRICE = '10.00';

describeEachBackend(
  'market: confirm vs cancel vs expiry on one voucher',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const home = new FakeClock('2026-06-01T08:00:00.000Z');
      const db = current().db;
      const { committee, partner, staff } = await racePartner(db, home);
      const rival = await racePartner(db, home, committee);
      const offer = await raceOffer(db, home, committee, partner.id, { price: PRICE, stock: ROUNDS, perDriverLimit: ROUNDS, limitPeriod: 'ever' });
      const [driver] = await raceDrivers(db, home, 1, '1000.00');
      const expiresAt = home.now().getTime() + VOUCHER_DAYS * DAY;
      // the desk and the driver a millisecond before expiry; the job at the instant of expiry
      const desk = new FakeClock(new Date(expiresAt - 1));
      const job = new FakeClock(new Date(expiresAt));
      return { db, home, desk, job, offer, driver: driver!, staff, rivalStaff: rival.staff };
    }

    async function stockLeftOf(db: Db, offerId: string) {
      return (await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offerId}`))!.n;
    }

    async function resolutionsOf(db: Db, redemptionId: string) {
      return queryRows<{ type: string }>(db, sql`select t.type from ledger_transfers t join redemptions r on t.pending_id = r.hold_id where r.id = ${redemptionId}`);
    }

    it(`${ROUNDS} rounds: exactly one of confirm, cancel and the expiry job resolves each voucher; a foreign desk never does`, async () => {
      const { db, home, desk, job, offer, driver, staff, rivalStaff } = await setup();
      const [confirmer, canceller, sweeper, foreigner] = await more.pools(4, 1);
      const wins: Record<string, number> = { confirm: 0, cancel: 0, expiry: 0 };
      let confirmed = 0;

      for (const round of range(ROUNDS)) {
        const { redemption: v } = await redeem(db, home, driver.user, offer.id, `round-${round}`);
        const racers = shuffled(
          [
            { name: 'confirm', run: () => outcome(confirmVoucher(confirmer!.db, desk, staff, v.code)) },
            { name: 'cancel', run: () => outcome(cancelRedemption(canceller!.db, desk, driver.user, v.id)) },
            { name: 'expiry', run: () => outcome(expireRedemptions(sweeper!.db, job)) },
            { name: 'foreign', run: () => outcome(confirmVoucher(foreigner!.db, desk, rivalStaff, v.code)) },
          ],
          round + 1,
        );
        const results = await allOutcomes(racers.map((r) => r.run() as Promise<Outcome<unknown>>));
        const by = Object.fromEntries(racers.map((r, i) => [r.name, results[i]!]));

        expect(by.foreign, `round ${round}`).toEqual({ ok: false, code: 'voucher_wrong_partner' });
        const expiryWon = by.expiry!.ok && by.expiry!.value === 1;
        if (by.expiry!.ok) expect([0, 1]).toContain(by.expiry!.value);
        const winners = [by.confirm!.ok && 'confirm', by.cancel!.ok && 'cancel', expiryWon && 'expiry'].filter(Boolean) as string[];
        expect(winners, `round ${round}: ${JSON.stringify(by)}`).toHaveLength(1);
        const winner = winners[0]!;
        wins[winner]!++;

        // the losers are told why, in the words of the state the winner left
        const status = (await queryOne<{ status: string }>(db, sql`select status from redemptions where id = ${v.id}`))!.status;
        expect(status).toBe({ confirm: 'confirmed', cancel: 'cancelled', expiry: 'expired' }[winner]);
        if (winner !== 'confirm') expect(by.confirm).toEqual({ ok: false, code: winner === 'cancel' ? 'voucher_cancelled' : 'voucher_expired' });
        if (winner !== 'cancel') expect(by.cancel).toEqual({ ok: false, code: 'redemption_not_open' });
        if (winner !== 'expiry') expect(by.expiry).toEqual({ ok: true, value: 0 });

        const resolutions = await resolutionsOf(db, v.id);
        expect(resolutions, `round ${round}`).toEqual([{ type: winner === 'confirm' ? 'post_pending' : 'void_pending' }]);
        if (winner === 'confirm') confirmed++;
        expect(await stockLeftOf(db, offer.id)).toBe(ROUNDS - confirmed);
      }

      console.log(`[voucher race] confirm won ${wins.confirm}, cancel ${wins.cancel}, expiry ${wins.expiry} of ${ROUNDS}`);
      const b = await balance(db, driver.wallet);
      expect([b.posted.toFixed(2), b.held.toFixed(2)]).toEqual([(1000 - confirmed * 10).toFixed(2), '0.00']);
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, job.now());
    });

    it(`${ROUNDS} rounds with the ledger's own hold sweep racing too: each voucher ends in one state, its hold resolved once`, async () => {
      const { db, home, desk, job, offer, driver, staff } = await setup();
      const [confirmer, canceller, sweeper, ledgerSweeper] = await more.pools(4, 1);
      const ledgerJob = createLedger(ledgerSweeper!.db, job, { batching: false });
      let confirmed = 0;

      for (const round of range(ROUNDS)) {
        const { redemption: v } = await redeem(db, home, driver.user, offer.id, `round-${round}`);
        const racers = shuffled(
          [
            () => outcome(confirmVoucher(confirmer!.db, desk, staff, v.code)),
            () => outcome(cancelRedemption(canceller!.db, desk, driver.user, v.id)),
            () => outcome(expireRedemptions(sweeper!.db, job)),
            () => outcome(ledgerJob.expireHolds()),
          ] as Array<() => Promise<Outcome<unknown>>>,
          round + 101,
        );
        await allOutcomes(racers.map((run) => run()));
        // whatever the ledger's sweep did, the market's own sweep settles the voucher's state
        await expireRedemptions(db, job);

        const status = (await queryOne<{ status: string }>(db, sql`select status from redemptions where id = ${v.id}`))!.status;
        expect(['confirmed', 'cancelled', 'expired'], `round ${round}`).toContain(status);
        const resolutions = await resolutionsOf(db, v.id);
        expect(resolutions, `round ${round}`).toEqual([{ type: status === 'confirmed' ? 'post_pending' : 'void_pending' }]);
        if (status === 'confirmed') confirmed++;
        expect(await stockLeftOf(db, offer.id)).toBe(ROUNDS - confirmed);
      }

      const b = await balance(db, driver.wallet);
      expect([b.posted.toFixed(2), b.held.toFixed(2)]).toEqual([(1000 - confirmed * 10).toFixed(2), '0.00']);
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, job.now());
    });

    it('a second partner racing to confirm 20 vouchers at once never confirms one; the rightful desk confirms all', async () => {
      const { db, home, desk, offer, driver, staff, rivalStaff } = await setup();
      const pool = await more.pool(20);
      const vouchers = [];
      for (const i of range(10)) vouchers.push((await redeem(db, home, driver.user, offer.id, `pair-${i}`)).redemption);
      const calls = shuffled(
        vouchers.flatMap((v) => [
          { who: 'rival', run: () => outcome(confirmVoucher(pool.db, desk, rivalStaff, v.code)) },
          { who: 'staff', run: () => outcome(confirmVoucher(pool.db, desk, staff, v.code)) },
        ]),
        7,
      );
      const results = await allOutcomes(calls.map((c) => c.run()));
      calls.forEach((c, i) => {
        if (c.who === 'rival') expect(results[i]).toEqual({ ok: false, code: 'voucher_wrong_partner' });
        else expect(results[i]!.ok).toBe(true);
      });
      const statuses = await queryRows<{ status: string; resolved_by: string }>(db, sql`select status, resolved_by::text from redemptions where offer_id = ${offer.id}`);
      expect(statuses).toHaveLength(10);
      expect(statuses.every((s) => s.status === 'confirmed' && s.resolved_by === staff.id)).toBe(true);
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, desk.now());
    });
  },
  { postgresOnly: true },
);
