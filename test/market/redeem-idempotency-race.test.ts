// A redeem and its retries racing with the same Idempotency-Key: one voucher, the points held
// once, and every caller gets that voucher — even when the offer allows one per driver and the
// wallet covers only one (so a retry that ran the checks again would be refused). Real
// PostgreSQL only.
// Each redeem runs alone (`alone: true`), in its own transaction, as redeems from separate server
// processes do; one process's batching is in redeem-batching.test.ts.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { redeem } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, closeGate, extraConnections, range, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes } from './market-race-support';

describeEachBackend(
  'market: retries of one redeem racing each other',
  (current) => {
    const more = extraConnections(current);

    it('20 calls with one Idempotency-Key, gated on the wallet → one voucher, returned to all 20', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '100.00', stock: 10, perDriverLimit: 1, limitPeriod: 'ever' });
      const [driver] = await raceDrivers(db, clock, 1, '100.00');
      const pool = await more.pool(20);
      const raw = await more.raw(1);

      const gate = await closeGate(raw, driver!.wallet);
      const calls = range(20).map(() => outcome(redeem(pool.db, clock, driver!.user, offer.id, 'the-one-key', { alone: true })));
      await waitForLockWaiters(db, 20);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      expect(tallyOutcomes(outcomes)).toEqual({ ok: 20 });
      const results = outcomes.map((o) => (o.ok ? o.value : null))!;
      const ids = new Set(results.map((r) => r!.redemption.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => !r!.replayed)).toHaveLength(1);
      const rows = await queryRows(db, sql`select 1 from redemptions where driver_id = ${driver!.user.id}`);
      expect(rows).toHaveLength(1);
      const b = await balance(db, driver!.wallet);
      expect([b.posted.toFixed(2), b.held.toFixed(2)]).toEqual(['100.00', '100.00']);
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });

    it('ungated, 10 rounds of 8 retries each with a fresh key → one voucher per key', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const { committee, partner } = await racePartner(db, clock);
      const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 100, perDriverLimit: 100 });
      const [driver] = await raceDrivers(db, clock, 1, '1000.00');
      const pools = await more.pools(4, 2);
      for (const round of range(10)) {
        const outcomes = await allOutcomes(range(8).map((i) => outcome(redeem(pools[i % 4]!.db, clock, driver!.user, offer.id, `round-${round}`, { alone: true }))));
        expect(tallyOutcomes(outcomes)).toEqual({ ok: 8 });
        expect(new Set(outcomes.map((o) => (o.ok ? o.value.redemption.id : null))).size).toBe(1);
      }
      expect(await queryRows(db, sql`select 1 from redemptions`)).toHaveLength(10);
      expect((await balance(db, driver!.wallet)).held.toFixed(2)).toBe('100.00');
      await expectMarketConsistent(db, offer.id);
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
