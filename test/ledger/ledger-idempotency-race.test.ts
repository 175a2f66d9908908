// The same idempotency key from 20 connections at once: one transfer, one answer. Same key and
// same request → exactly one transfer row and 20 replies with the same transferId (19 replayed);
// same key with different requests → one wins, 19 get idempotency_conflict. The key is claimed
// first with INSERT … ON CONFLICT DO NOTHING, so duplicates wait on the first claimant's unique
// index entry instead of racing past a check. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger, type Ledger, type LedgerOutcome } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import type { Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
  closeGate,
  connectionsTo,
  count,
  D,
  expectSound,
  extraConnections,
  fails,
  fund,
  oks,
  openPartner,
  openWallet,
  range,
  tally,
  waitForLockWaiters,
} from './race-support';

const RACERS = 20;

describeEachBackend(
  'ledger: the same idempotency key from 20 connections at once',
  (current) => {
    const more = extraConnections(current);

    async function setup(funds = '1000.00') {
      const clock = new FakeClock();
      const db = current().db;
      const wallet = await openWallet(db);
      const partner = await openPartner(db);
      if (funds !== '0') await fund(createLedger(db, clock, { batching: false }), wallet, funds);
      return { clock, db, wallet, partner };
    }

    /** Twenty ledgers, each on its own single-connection pool: twenty server connections. */
    async function racers(clock: FakeClock, batching: boolean): Promise<Ledger[]> {
      const pools = await more.pools(RACERS, 1);
      expect(await connectionsTo(current().db)).toBeGreaterThanOrEqual(RACERS + 1);
      return pools.map((p) => createLedger(p.db, clock, { batching }));
    }

    const spend = (ledger: Ledger, key: string, wallet: string, partner: string, amount = '12.34') =>
      ledger.run({ op: 'transfer', key, debit: wallet, credit: partner, amount: D(amount), code: 'redeem', refType: 'race', refId: key });

    const transfersFor = (db: Db, key: string) => count(db, sql`select 1 from ledger_transfers where ref_type = 'race' and ref_id = ${key}`);

    /** One transfer; every reply names it; exactly one is the original, the rest are replays. */
    async function expectOneTransfer(db: Db, key: string, outcomes: LedgerOutcome[]) {
      expect(outcomes).toHaveLength(RACERS);
      expect(tally(outcomes)).toEqual({ ok: RACERS });
      const ids = new Set(oks(outcomes).map((o) => o.transferId));
      expect(ids.size, 'every reply carries the same transferId').toBe(1);
      expect(outcomes.filter((o) => o.replayed)).toHaveLength(RACERS - 1);
      expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
      expect(await transfersFor(db, key)).toBe(1);
      const [row] = await db.execute(sql`select id::text from ledger_transfers where ref_type = 'race' and ref_id = ${key}`) as unknown as Array<{ id: string }>;
      expect(ids.has(row!.id)).toBe(true);
    }

    it('same key + same request, gated so all 20 are inside the database at once: one transfer, 20 replies with one transferId, 19 replayed', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledgers = await racers(clock, false);
      const raw = await more.raw(1);

      // While the wallet's row lock is held elsewhere, the first racer claims the key and waits on
      // the wallet; the other 19 wait on its uncommitted key. All 20 are provably in flight.
      const gate = await closeGate(raw, wallet);
      const calls = ledgers.map((l) => spend(l, 'same-key', wallet, partner));
      expect(await waitForLockWaiters(db, RACERS)).toBe(RACERS);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      await expectOneTransfer(db, 'same-key', outcomes);
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe('987.66');
      expect((await balance(db, partner)).posted.toFixed(2)).toBe('12.34');
      await expectSound(db, clock.now());
    });

    it('same key + same request, free-running from 20 connections, 10 rounds: always one transfer per key', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledgers = await racers(clock, false);
      for (let round = 0; round < 10; round++) {
        const key = `free-${round}`;
        const outcomes = await allOutcomes(ledgers.map((l) => spend(l, key, wallet, partner)));
        await expectOneTransfer(db, key, outcomes);
      }
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe(D('1000.00').minus(D('12.34').times(10)).toFixed(2));
      await expectSound(db, clock.now());
    });

    it('same key + same request through 20 micro-batchers on 20 connections: one transfer, one transferId', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledgers = await racers(clock, true);
      const raw = await more.raw(1);
      const gate = await closeGate(raw, wallet);
      const calls = ledgers.map((l) => spend(l, 'batched-key', wallet, partner));
      await waitForLockWaiters(db, RACERS);
      await gate.open();
      await expectOneTransfer(db, 'batched-key', await allOutcomes(calls));
      await expectSound(db, clock.now());
    });

    it('the same request 20 times inside one micro-batch: one transfer, 19 replays from the same transaction', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledger = createLedger(db, clock); // one batcher: the 20 calls share one batch
      const outcomes = await allOutcomes(range(RACERS).map(() => spend(ledger, 'one-batch', wallet, partner)));
      await expectOneTransfer(db, 'one-batch', outcomes);
      expect(outcomes[0]!.replayed).toBe(false);
      await expectSound(db, clock.now());
    });

    it('same key + 20 different requests, gated: exactly one wins, 19 get idempotency_conflict, the wallet moves by the winner only', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledgers = await racers(clock, false);
      const raw = await more.raw(1);
      const amounts = range(RACERS).map((i) => D(1).plus(D(i).div(100)).toFixed(2)); // 1.00 … 1.19

      const gate = await closeGate(raw, wallet);
      const calls = ledgers.map((l, i) => spend(l, 'contested', wallet, partner, amounts[i]));
      await waitForLockWaiters(db, RACERS);
      await gate.open();
      const outcomes = await allOutcomes(calls);

      expect(tally(outcomes)).toEqual({ ok: 1, idempotency_conflict: RACERS - 1 });
      const [winner] = oks(outcomes);
      expect(winner!.replayed).toBe(false);
      expect(amounts).toContain(winner!.amount.toFixed(2));
      expect(await transfersFor(db, 'contested')).toBe(1);
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe(D('1000.00').minus(winner!.amount).toFixed(2));
      // The winner's own request, sent again, is a replay; any other body is still a conflict.
      const winnerIndex = outcomes.findIndex((o) => o.ok);
      expect(await spend(ledgers[0]!, 'contested', wallet, partner, amounts[winnerIndex])).toMatchObject({ ok: true, transferId: winner!.transferId, replayed: true });
      expect(await spend(ledgers[0]!, 'contested', wallet, partner, '99.99')).toMatchObject({ ok: false, code: 'idempotency_conflict' });
      await expectSound(db, clock.now());
    });

    it('same key + 20 different requests, free-running, 10 rounds: one winner per key every time', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledgers = await racers(clock, false);
      let spent = D(0);
      for (let round = 0; round < 10; round++) {
        const key = `contested-${round}`;
        const outcomes = await allOutcomes(ledgers.map((l, i) => spend(l, key, wallet, partner, `${i + 1}.00`)));
        expect(tally(outcomes)).toEqual({ ok: 1, idempotency_conflict: RACERS - 1 });
        expect(await transfersFor(db, key)).toBe(1);
        spent = spent.plus(oks(outcomes)[0]!.amount);
      }
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe(D('1000.00').minus(spent).toFixed(2));
      await expectSound(db, clock.now());
    });

    it('a failure raced under one key is one failure: 20 × insufficient_funds (19 replayed), and it stays failed after funding', async () => {
      const { clock, db, wallet, partner } = await setup('0');
      const ledgers = await racers(clock, false);
      const outcomes = await allOutcomes(ledgers.map((l) => spend(l, 'broke', wallet, partner)));
      expect(tally(outcomes)).toEqual({ insufficient_funds: RACERS });
      expect(fails(outcomes).filter((o) => o.replayed)).toHaveLength(RACERS - 1);
      await fund(createLedger(db, clock, { batching: false }), wallet, '100.00');
      const retried = await allOutcomes(ledgers.map((l) => spend(l, 'broke', wallet, partner)));
      expect(retried.every((o) => !o.ok && o.code === 'insufficient_funds' && o.replayed)).toBe(true);
      expect(await transfersFor(db, 'broke')).toBe(0);
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe('100.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
