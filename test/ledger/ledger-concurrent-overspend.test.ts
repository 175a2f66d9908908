// 64 concurrent spends of 1.00 against a wallet that holds exactly 10 × 1.00: exactly 10 succeed,
// the other 54 are refused for insufficient funds, and the wallet ends at 0.00 — through the
// direct path on one big pool, through several micro-batchers racing on separate pools, and
// the same with holds instead of transfers. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger, type Ledger, type LedgerOutcome } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { queryRows, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
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
} from './race-support';

const SPENDS = 64;
const AFFORDABLE = 10;

describeEachBackend(
  'ledger: 64 concurrent spends against a wallet that can afford 10',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const wallet = await openWallet(db);
      const partner = await openPartner(db);
      await fund(createLedger(db, clock, { batching: false }), wallet, '1.00', AFFORDABLE);
      expect((await balance(db, wallet)).available.toFixed(2)).toBe('10.00');
      return { clock, db, wallet, partner };
    }

    const spend = (ledger: Ledger, i: number, wallet: string, partner: string, prefix = 'spend') =>
      ledger.run({ op: 'transfer', key: `${prefix}-${i}`, debit: wallet, credit: partner, amount: D('1.00'), code: 'redeem', refType: 'test', refId: String(i) });

    const hold = (ledger: Ledger, i: number, wallet: string, partner: string, clock: FakeClock) =>
      ledger.run({ op: 'hold', key: `hold-${i}`, debit: wallet, credit: partner, amount: D('1.00'), code: 'redeem', expiresAt: new Date(clock.now().getTime() + 3_600_000) });

    /** Exactly 10 ok (distinct transfers), exactly 54 insufficient_funds, nothing else. */
    function expectTenOfSixtyFour(outcomes: LedgerOutcome[]) {
      expect(outcomes).toHaveLength(SPENDS);
      expect(tally(outcomes)).toEqual({ ok: AFFORDABLE, insufficient_funds: SPENDS - AFFORDABLE });
      expect(new Set(oks(outcomes).map((o) => o.transferId)).size).toBe(AFFORDABLE);
      expect(outcomes.every((o) => !o.replayed)).toBe(true);
    }

    /** The wallet's ten outgoing spend legs carry balance_after 9.00 … 0.00, each exactly once. */
    async function expectSerialisedLegs(db: Db, wallet: string) {
      const rows = await queryRows<{ after: string }>(
        db,
        sql`select p.balance_after::text as after from ledger_postings p join ledger_transfers t on t.id = p.transfer_id
             where p.account_id = ${wallet} and t.code = 'redeem' and not p.pending and p.amount < 0 order by p.balance_after`,
      );
      expect(rows.map((r) => r.after)).toEqual(range(AFFORDABLE).map((i) => `${i}.00`));
    }

    async function expectSpentOut(db: Db, wallet: string, partner: string) {
      const w = await balance(db, wallet);
      expect([w.posted.toFixed(2), w.held.toFixed(2), w.available.toFixed(2)]).toEqual(['0.00', '0.00', '0.00']);
      expect((await balance(db, partner)).posted.toFixed(2)).toBe('10.00');
      expect(await count(db, sql`select 1 from ledger_transfers where code = 'redeem'`)).toBe(AFFORDABLE);
      await expectSerialisedLegs(db, wallet);
    }

    it('direct path over a 24-connection pool: exactly 10 succeed, 54 insufficient_funds, balance 0.00; a replay of all 64 changes nothing', async () => {
      const { clock, db, wallet, partner } = await setup();
      const pool = await more.pool(24);
      const ledger = createLedger(pool.db, clock, { batching: false });
      expect(await connectionsTo(db)).toBeGreaterThanOrEqual(24);

      const outcomes = await allOutcomes(range(SPENDS).map((i) => spend(ledger, i, wallet, partner)));
      expectTenOfSixtyFour(outcomes);
      await expectSpentOut(db, wallet, partner);
      // Every key is remembered, failures included.
      expect(await count(db, sql`select 1 from ledger_idempotency where key like 'spend-%'`)).toBe(SPENDS);
      expect(await count(db, sql`select 1 from ledger_idempotency where key like 'spend-%' and result->>'code' = 'insufficient_funds'`)).toBe(
        SPENDS - AFFORDABLE,
      );

      // The same 64 requests again, concurrently, after topping the wallet up: every one gets its
      // first answer back (failures stay failures), and nothing moves.
      await fund(createLedger(db, clock, { batching: false }), wallet, '100.00');
      const replays = await allOutcomes(range(SPENDS).map((i) => spend(ledger, i, wallet, partner)));
      expect(replays.every((o) => o.replayed)).toBe(true);
      expect(replays.map((o) => (o.ok ? o.transferId : o.code))).toEqual(outcomes.map((o) => (o.ok ? o.transferId : o.code)));
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe('100.00');
      expect(await count(db, sql`select 1 from ledger_transfers where code = 'redeem'`)).toBe(AFFORDABLE);
      await expectSound(db, clock.now());
    });

    it('eight micro-batchers on eight pools, 8 spends each: exactly 10 succeed across the racing batches, balance 0.00', async () => {
      const { clock, db, wallet, partner } = await setup();
      const pools = await more.pools(8, 3);
      const ledgers = pools.map((p) => createLedger(p.db, clock)); // batching on (the default)
      expect(await connectionsTo(db)).toBeGreaterThanOrEqual(24);

      const outcomes = await allOutcomes(range(SPENDS).map((i) => spend(ledgers[i % ledgers.length]!, i, wallet, partner)));
      expectTenOfSixtyFour(outcomes);
      await expectSpentOut(db, wallet, partner);
      await expectSound(db, clock.now());
    });

    it('one micro-batcher taking all 64 in one batch still rejects each overspend on its own', async () => {
      const { clock, db, wallet, partner } = await setup();
      const ledger = createLedger(db, clock);
      const outcomes = await allOutcomes(range(SPENDS).map((i) => spend(ledger, i, wallet, partner)));
      expectTenOfSixtyFour(outcomes);
      // Inside one batch the calls apply in submission order: the first ten win.
      expect(outcomes.slice(0, AFFORDABLE).every((o) => o.ok)).toBe(true);
      await expectSpentOut(db, wallet, partner);
      await expectSound(db, clock.now());
    });

    it('64 concurrent holds, direct path: exactly 10 reserve, 54 insufficient_funds, available 0.00; posting the 10 concurrently leaves 0.00', async () => {
      const { clock, db, wallet, partner } = await setup();
      const pool = await more.pool(24);
      const ledger = createLedger(pool.db, clock, { batching: false });

      const outcomes = await allOutcomes(range(SPENDS).map((i) => hold(ledger, i, wallet, partner, clock)));
      expectTenOfSixtyFour(outcomes);
      expect(oks(outcomes).every((o) => o.type === 'pending')).toBe(true);
      const w = await balance(db, wallet);
      expect([w.posted.toFixed(2), w.held.toFixed(2), w.available.toFixed(2)]).toEqual(['10.00', '10.00', '0.00']);
      expect((await balance(db, partner)).incoming.toFixed(2)).toBe('10.00');
      expect(await count(db, sql`select 1 from ledger_open_holds where debit_account_id = ${wallet}`)).toBe(AFFORDABLE);
      await expectSound(db, clock.now());

      // A spend now must fail too: the held points are not available.
      expect(fails([await spend(ledger, 999, wallet, partner, 'after-holds')]).map((f) => f.code)).toEqual(['insufficient_funds']);

      const posts = await allOutcomes(oks(outcomes).map((h, i) => ledger.run({ op: 'post', key: `post-${i}`, holdId: h.transferId })));
      expect(tally(posts)).toEqual({ ok: AFFORDABLE });
      const after = await balance(db, wallet);
      expect([after.posted.toFixed(2), after.held.toFixed(2), after.available.toFixed(2)]).toEqual(['0.00', '0.00', '0.00']);
      expect((await balance(db, partner)).posted.toFixed(2)).toBe('10.00');
      expect(await count(db, sql`select 1 from ledger_open_holds`)).toBe(0);
      await expectSound(db, clock.now());
    });

    it('64 concurrent holds through eight racing micro-batchers: exactly 10 reserve, available 0.00', async () => {
      const { clock, db, wallet, partner } = await setup();
      const pools = await more.pools(8, 3);
      const ledgers = pools.map((p) => createLedger(p.db, clock));

      const outcomes = await allOutcomes(range(SPENDS).map((i) => hold(ledgers[i % ledgers.length]!, i, wallet, partner, clock)));
      expectTenOfSixtyFour(outcomes);
      const w = await balance(db, wallet);
      expect([w.posted.toFixed(2), w.held.toFixed(2), w.available.toFixed(2)]).toEqual(['10.00', '10.00', '0.00']);
      expect(await count(db, sql`select 1 from ledger_transfers where type = 'pending'`)).toBe(AFFORDABLE);
      await expectSound(db, clock.now());
    });

    it('transfers and holds mixed, 64 at once on a 24-connection pool: the 10 winners, whatever their kind, exhaust the wallet', async () => {
      const { clock, db, wallet, partner } = await setup();
      const pool = await more.pool(24);
      const ledger = createLedger(pool.db, clock, { batching: false });

      const outcomes = await allOutcomes(
        range(SPENDS).map((i) => (i % 2 === 0 ? spend(ledger, i, wallet, partner) : hold(ledger, i, wallet, partner, clock))),
      );
      expectTenOfSixtyFour(outcomes);
      const won = oks(outcomes);
      const spent = won.filter((o) => o.type === 'posted').length;
      const held = won.filter((o) => o.type === 'pending').length;
      expect(spent + held).toBe(AFFORDABLE);
      const w = await balance(db, wallet);
      expect(w.posted.toFixed(2)).toBe(D(AFFORDABLE - spent).toFixed(2));
      expect(w.held.toFixed(2)).toBe(D(held).toFixed(2));
      expect(w.available.toFixed(2)).toBe('0.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
