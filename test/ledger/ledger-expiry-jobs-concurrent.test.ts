// Several expiry jobs at once — which ledger_expire_holds() says is safe ("SKIP LOCKED lets
// several server processes run it at once") — must each finish without an error and together
// void every expired hold exactly once. Each job locks its batch of open holds up front (in
// expiry order) and then the wallet of each hold as it voids it, so two jobs whose holds sit on
// the same two wallets in opposite order can deadlock; expireHolds() has no retry around it, so
// the 40P01 reaches the caller. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
  count,
  D,
  expectSound,
  extraConnections,
  fund,
  openPartner,
  openWallet,
  range,
  resolutionsOf,
  waitForLockWaiters,
} from './race-support';

describeEachBackend(
  'ledger: several expiry jobs at once',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const home = createLedger(db, clock, { batching: false });
      const [x, y] = [await openWallet(db), await openWallet(db)];
      const [lo, hi] = x < y ? [x, y] : [y, x];
      const partner = await openPartner(db);
      await fund(home, lo, '1000.00');
      await fund(home, hi, '1000.00');
      return { clock, db, home, lo, hi, partner };
    }

    it('minimal: two jobs, two holds each on the same two wallets in opposite order — both finish, four holds voided', async () => {
      const { clock, db, home, lo, hi, partner } = await setup();
      const t0 = clock.now().getTime();
      const hold = async (wallet: string, afterMs: number, key: string) =>
        (await home.hold({ key, debit: wallet, credit: partner, amount: D('1.00'), expiresAt: new Date(t0 + 60_000 + afterMs) })).transferId;
      // Expiry order: h1 (hi), h2 (lo) | h3 (lo), h4 (hi). Job 1 takes h1+h2, job 2 takes h3+h4.
      const h1 = await hold(hi, 1, 'h1');
      const h2 = await hold(lo, 2, 'h2');
      const h3 = await hold(lo, 3, 'h3');
      const h4 = await hold(hi, 4, 'h4');
      clock.set(new Date(t0 + 120_000));

      // Only to fix the interleaving: an open transaction has claimed the expiry idempotency keys
      // of each job's second hold, so each job stops after voiding its first hold (and locking
      // that hold's wallet) until the transaction rolls back.
      const raw = await more.raw(1);
      const gate = await raw.reserve();
      await gate`begin`;
      await gate`insert into ledger_idempotency (key, request_hash, created_at)
                 values (${`hold-expiry:${h2}`}, 'hold-expiry', now()), (${`hold-expiry:${h4}`}, 'hold-expiry', now())`;
      const [j1, j2] = await more.pools(2, 1);
      const job1 = createLedger(j1!.db, clock, { batching: false }).expireHolds(2); // voids h1: locks hi
      await waitForLockWaiters(db, 1);
      const job2 = createLedger(j2!.db, clock, { batching: false }).expireHolds(2); // skips h1+h2, voids h3: locks lo
      await waitForLockWaiters(db, 2);
      await gate`rollback`; // job 1 now wants lo for h2, job 2 wants hi for h4
      gate.release();

      const done = await allOutcomes([job1, job2]); // today: one of them rejects with 40P01 deadlock detected
      expect(done[0]! + done[1]!).toBe(4);
      for (const h of [h1, h2, h3, h4]) expect(await resolutionsOf(db, h)).toHaveLength(1);
      await expectSound(db, clock.now());
    });

    it('free-running: four jobs at once over 40 expired holds alternating between two wallets, 5 rounds — no job fails', async () => {
      const { clock, db, home, lo, hi, partner } = await setup();
      const jobs = (await more.pools(4, 1)).map((p) => createLedger(p.db, clock, { batching: false }));
      const HOLDS = 40;
      const ROUNDS = 5;
      let expiredByJobs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const i of range(HOLDS)) {
          await home.hold({
            key: `r${round}-${i}`,
            debit: i % 2 === 0 ? hi : lo,
            credit: partner,
            amount: D('1.00'),
            expiresAt: new Date(clock.now().getTime() + 1_000 + i),
          });
        }
        clock.advance(5_000);
        // Five holds per job (an odd number): neighbouring jobs start on different wallets.
        const counts = await allOutcomes(jobs.map((job) => job.expireHolds(5)));
        expiredByJobs += counts.reduce((n, c) => n + c, 0);
        expect(counts.reduce((n, c) => n + c, 0)).toBe(20);
        expiredByJobs += await home.expireHolds(); // the rest
      }
      expect(expiredByJobs).toBe(HOLDS * ROUNDS);
      expect(await count(db, sql`select 1 from ledger_open_holds`)).toBe(0);
      expect(await count(db, sql`select 1 from ledger_transfers where code = 'hold_expired'`)).toBe(HOLDS * ROUNDS);
      for (const w of [lo, hi]) expect((await balance(db, w)).posted.toFixed(2)).toBe('1000.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
