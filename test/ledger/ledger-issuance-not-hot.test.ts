// The issuance account is not a hot row: an earn that is still open (its transaction not yet
// committed) does not hold up another earn from the same issuance account into a different
// wallet — while an earn into the *same* wallet does wait for it. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { queryOne } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
  D,
  describeError,
  expectSound,
  extraConnections,
  failure,
  ISSUANCE,
  lockWaiters,
  openWallet,
  range,
  rawOp,
  tally,
  waitForLockWaiters,
} from './race-support';

const PROMPT_MS = 2_000;

describeEachBackend(
  'ledger: earning does not lock the issuance account',
  (current) => {
    const more = extraConnections(current);

    /** Begins a transaction on its own connection, earns `amount` into `wallet` in it, and leaves it open. */
    async function openEarn(raw: postgres.Sql, wallet: string, amount: string, now: Date) {
      const conn = await raw.reserve();
      await conn`begin`;
      const op = rawOp({ op: 'transfer', key: `held-open-${wallet}`, debit: ISSUANCE, credit: wallet, amount, code: 'earn' });
      const [row] = await conn`select ledger_apply(${op}::text::jsonb, ${now.toISOString()}::timestamptz) as r`;
      expect(row!.r).toMatchObject({ ok: true, type: 'posted' });
      const [pid] = await conn`select pg_backend_pid() as pid`;
      return {
        pid: Number(pid!.pid),
        transferId: (row!.r as { transferId: string }).transferId,
        async commit() {
          await conn`commit`;
          conn.release();
        },
      };
    }

    /** Elapsed ms of `work`. */
    async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
      const started = performance.now();
      const result = await work();
      return [result, performance.now() - started];
    }

    it('while one earn sits uncommitted, earns from the same issuance account into other wallets complete promptly — direct and batched', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const w1 = await openWallet(db);
      const others = await Promise.all(range(20).map(() => openWallet(db)));
      const raw = await more.raw(1);
      const pool = await more.pool(20);
      const direct = createLedger(pool.db, clock, { batching: false });
      const batched = createLedger(pool.db, clock);

      const held = await openEarn(raw, w1, '100.00', clock.now());
      // It really is open: its backend sits idle in a transaction.
      const state = await queryOne<{ state: string }>(db, sql`select state from pg_stat_activity where pid = ${held.pid}`);
      expect(state!.state).toBe('idle in transaction');

      // One earn into another wallet, direct path.
      const [one, oneMs] = await timed(() =>
        direct.run({ op: 'transfer', key: 'other-0', debit: ISSUANCE, credit: others[0]!, amount: D('10.00'), code: 'earn' }),
      );
      expect(one).toMatchObject({ ok: true });
      expect(oneMs).toBeLessThan(PROMPT_MS);

      // Twenty at once into twenty wallets, direct and through the micro-batcher.
      const [many, manyMs] = await timed(() =>
        allOutcomes([
          ...others.map((w, i) => direct.run({ op: 'transfer', key: `direct-${i}`, debit: ISSUANCE, credit: w, amount: D('1.00'), code: 'earn' })),
          ...others.map((w, i) => batched.run({ op: 'transfer', key: `batched-${i}`, debit: ISSUANCE, credit: w, amount: D('2.00'), code: 'earn' })),
        ]),
      );
      expect(tally(many)).toEqual({ ok: 40 });
      expect(manyMs).toBeLessThan(PROMPT_MS);
      expect(await lockWaiters(db)).toBe(0);
      console.log(`[issuance not hot] with an earn held open: 1 earn in ${oneMs.toFixed(0)} ms, 40 concurrent earns in ${manyMs.toFixed(0)} ms`);

      // The issuance row itself can still be locked for update by anyone (the open earn took at
      // most a FOR KEY SHARE lock on it through the postings' foreign key).
      const probe = await more.raw(1);
      await probe.begin(async (tx) => {
        await tx`select 1 from ledger_accounts where id = ${ISSUANCE} for no key update nowait`;
      });
      // …whereas the open earn's wallet row is locked.
      const locked = await failure(() => probe.begin((tx) => tx`select 1 from ledger_accounts where id = ${w1} for no key update nowait`));
      expect(locked.code).toBe('55P03'); // lock_not_available

      // Still nothing of the open earn is visible to others.
      expect((await balance(db, w1)).posted.toFixed(2)).toBe('0.00');
      await held.commit();
      expect((await balance(db, w1)).posted.toFixed(2)).toBe('100.00');
      expect((await balance(db, others[0]!)).posted.toFixed(2)).toBe('13.00');
      expect((await balance(db, ISSUANCE)).posted.toFixed(2)).toBe(D('-100').minus(10).minus(20 * 3).toFixed(2));
      await expectSound(db, clock.now());
    });

    it('by contrast an earn into the same wallet waits for the open one: it times out under lock_timeout, and through the ledger it completes only after the commit', async () => {
      const clock = new FakeClock();
      const db = current().db;
      const w1 = await openWallet(db);
      const raw = await more.raw(1);
      const held = await openEarn(raw, w1, '100.00', clock.now());

      // Raw: the same pattern under lock_timeout is refused after waiting for the wallet's row.
      const contender = await more.raw(1);
      const op = rawOp({ op: 'transfer', key: 'same-wallet-raw', debit: ISSUANCE, credit: w1, amount: '5.00', code: 'earn' });
      const [refused, waitedMs] = await timed(() =>
        failure(() =>
          contender.begin(async (tx) => {
            await tx`set local lock_timeout = '300ms'`;
            await tx`select ledger_apply(${op}::text::jsonb, ${clock.now().toISOString()}::timestamptz)`;
          }),
        ),
      );
      expect(refused.code, refused.message).toBe('55P03'); // lock_not_available: it did wait on the row
      expect(waitedMs).toBeGreaterThanOrEqual(290);

      // Through the ledger (no timeout): the call is parked on the lock until the open earn commits.
      const pool = await more.pool(2);
      const ledger = createLedger(pool.db, clock, { batching: false });
      let settled = false;
      const call = ledger.run({ op: 'transfer', key: 'same-wallet', debit: ISSUANCE, credit: w1, amount: D('5.00'), code: 'earn' });
      void call.then(
        () => (settled = true),
        (e) => {
          settled = true;
          console.error(describeError(e));
        },
      );
      await waitForLockWaiters(db, 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(settled, 'an earn into a wallet with an open earn must wait for it').toBe(false);
      expect(await lockWaiters(db)).toBe(1);

      await held.commit();
      const [outcome, afterCommitMs] = await timed(() => call);
      expect(outcome).toMatchObject({ ok: true });
      expect(afterCommitMs).toBeLessThan(PROMPT_MS);
      const w = await balance(db, w1);
      expect(w.posted.toFixed(2)).toBe('105.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
