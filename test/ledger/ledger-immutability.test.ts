// The ledger's history is enforced by the database, not only by the TypeScript in front of it:
// postings and transfers cannot be updated, deleted or truncated; postings that do not balance
// (per transfer and per phase) are refused; a transfer without postings cannot commit; a wallet's
// CHECK refuses to go negative even under a hand-written UPDATE. And amounts past 2^53 stay exact
// end to end. On PGlite and on real PostgreSQL.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { balance, balanceAsOf, listTransfers, statement } from '../../api/ledger/reads';
import { queryRows, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { count, D, expectSound, failure, fund, ISSUANCE, openPartner, openWallet } from './race-support';

const APPEND_ONLY = '23000'; // integrity_constraint_violation, raised by ledger_refuse_change()
const CHECK = '23514'; // check_violation

/** The trigger's refusal names the table and the operation (whatever the exact wording). */
function expectAppendOnlyRefusal(message: string, table: string, operation?: string) {
  expect(message).toMatch(/append-only/);
  expect(message).toContain(table);
  expect(message).toMatch(operation ? new RegExp(operation) : /UPDATE|DELETE/);
}

describeEachBackend('ledger: history is immutable and amounts are exact', (current) => {
  /** A wallet with 10.00 earned and 4.00 spent: a few real transfers and postings to attack. */
  async function setup() {
    const clock = new FakeClock();
    const db = current().db;
    const ledger = createLedger(db, clock, { batching: false });
    const wallet = await openWallet(db);
    const partner = await openPartner(db);
    await fund(ledger, wallet, '10.00');
    clock.advance(1_000);
    const spent = await ledger.transfer({ key: 'spend', debit: wallet, credit: partner, amount: D('4.00'), code: 'redeem' });
    return { clock, db, ledger, wallet, partner, spent };
  }

  async function snapshot(db: Db) {
    return {
      transfers: await queryRows(db, sql`select id::text, type, code, amount::text from ledger_transfers order by id`),
      postings: await queryRows(db, sql`select transfer_id::text, leg, account_id::text, amount::text, pending, balance_after::text from ledger_postings order by transfer_id, leg`),
    };
  }

  it('UPDATE and DELETE on ledger_postings are refused by the database, and nothing changes', async () => {
    const { clock, db, spent } = await setup();
    const before = await snapshot(db);
    for (const attempt of [
      sql`update ledger_postings set amount = amount * 2 where transfer_id = ${spent.transferId}`,
      sql`update ledger_postings set balance_after = 1000 where transfer_id = ${spent.transferId}`,
      sql`update ledger_postings set amount = amount`,
      sql`delete from ledger_postings where transfer_id = ${spent.transferId}`,
      sql`delete from ledger_postings`,
    ]) {
      const refused = await failure(() => db.execute(attempt));
      expect(refused.code, refused.message).toBe(APPEND_ONLY);
      expectAppendOnlyRefusal(refused.message, 'ledger_postings');
    }
    expect(await snapshot(db)).toEqual(before);
    await expectSound(db, clock.now());
  });

  it('UPDATE and DELETE on ledger_transfers are refused by the database, and nothing changes', async () => {
    const { clock, db, spent } = await setup();
    const before = await snapshot(db);
    for (const attempt of [
      sql`update ledger_transfers set amount = 1 where id = ${spent.transferId}`,
      sql`update ledger_transfers set reason = 'rewritten'`,
      sql`delete from ledger_transfers where id = ${spent.transferId}`,
    ]) {
      const refused = await failure(() => db.execute(attempt));
      expect(refused.code, refused.message).toBe(APPEND_ONLY);
      expectAppendOnlyRefusal(refused.message, 'ledger_transfers');
    }
    expect(await snapshot(db)).toEqual(before);
    await expectSound(db, clock.now());
  });

  it('TRUNCATE of ledger_postings, and of ledger_transfers even with CASCADE, is refused', async () => {
    const { clock, db } = await setup();
    const before = await snapshot(db);
    const postings = await failure(() => db.execute(sql`truncate ledger_postings`));
    expect(postings.code, postings.message).toBe(APPEND_ONLY);
    expectAppendOnlyRefusal(postings.message, 'ledger_postings', 'TRUNCATE');
    const transfers = await failure(() => db.execute(sql`truncate ledger_transfers cascade`));
    expect(transfers.code, transfers.message).toBe(APPEND_ONLY);
    expect(transfers.message).toMatch(/append-only/);
    expect(transfers.message).toContain('TRUNCATE');
    expect(await snapshot(db)).toEqual(before);
    expect(before.postings.length).toBeGreaterThanOrEqual(4);
    await expectSound(db, clock.now());
  });

  it('postings that do not sum to zero are refused — per transfer, per phase, and when added to a balanced transfer later', async () => {
    const { clock, db, wallet, partner, spent } = await setup();
    const before = await snapshot(db);
    const now = clock.now().toISOString();
    const transfer = (id: string) =>
      sql`insert into ledger_transfers (id, type, code, amount, created_at) values (${id}, 'posted', 'forged', 5, ${now}::timestamptz)`;

    // +5 against −4.
    const lopsided = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(transfer('00000000-0000-4000-8000-0000000000a1'));
        await tx.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
          ('00000000-0000-4000-8000-0000000000a1', 0, ${partner}, -4, false, ${now}::timestamptz),
          ('00000000-0000-4000-8000-0000000000a1', 1, ${wallet}, 5, false, ${now}::timestamptz)`);
      }),
    );
    expect(lopsided.code, lopsided.message).toBe(CHECK);
    expect(lopsided.message).toMatch(/unbalanced/i);

    // Zero overall, but the posted legs and the pending legs each do not balance.
    const mixedPhases = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(transfer('00000000-0000-4000-8000-0000000000a2'));
        await tx.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
          ('00000000-0000-4000-8000-0000000000a2', 0, ${partner}, -5, true, ${now}::timestamptz),
          ('00000000-0000-4000-8000-0000000000a2', 1, ${wallet}, 5, false, ${now}::timestamptz)`);
      }),
    );
    expect(mixedPhases.code, mixedPhases.message).toBe(CHECK);

    // One leg at a time (each statement checked on its own): the first leg is already unbalanced.
    const legByLeg = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(transfer('00000000-0000-4000-8000-0000000000a3'));
        await tx.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
          ('00000000-0000-4000-8000-0000000000a3', 0, ${partner}, -5, false, ${now}::timestamptz)`);
        await tx.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
          ('00000000-0000-4000-8000-0000000000a3', 1, ${wallet}, 5, false, ${now}::timestamptz)`);
      }),
    );
    expect(legByLeg.code, legByLeg.message).toBe(CHECK);

    // An extra (self-balancing-looking) leg appended to an existing, balanced transfer.
    const appended = await failure(() =>
      db.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
        (${spent.transferId}, 7, ${partner}, 1, false, ${now}::timestamptz)`),
    );
    expect(appended.code, appended.message).toBe(CHECK);

    expect(await snapshot(db)).toEqual(before);
    await expectSound(db, clock.now());
  });

  it('a transfer row with no postings is refused at commit', async () => {
    const { clock, db } = await setup();
    const before = await snapshot(db);
    const now = clock.now().toISOString();
    const id = '00000000-0000-4000-8000-0000000000b1';
    let insertedInside = false;
    const legless = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into ledger_transfers (id, type, code, amount, created_at) values (${id}, 'posted', 'forged', 5, ${now}::timestamptz)`);
        // The check is deferred: inside the transaction the insert itself succeeds.
        insertedInside = (await count(tx as unknown as Db, sql`select 1 from ledger_transfers where id = ${id}`)) === 1;
      }),
    );
    expect(insertedInside).toBe(true);
    expect(legless.code, legless.message).toBe(CHECK);
    expect(legless.message).toMatch(/no postings/i);
    // Autocommit, one statement: refused all the same.
    const single = await failure(() =>
      db.execute(sql`insert into ledger_transfers (id, type, code, amount, created_at) values (${id}, 'posted', 'forged', 5, ${now}::timestamptz)`),
    );
    expect(single.code, single.message).toBe(CHECK);
    expect(await count(db, sql`select 1 from ledger_transfers where id = ${id}`)).toBe(0);
    expect(await snapshot(db)).toEqual(before);
    await expectSound(db, clock.now());
  });

  it("a bounded wallet's CHECK refuses a direct UPDATE that would take it below zero (holds counted); programme accounts keep no counters", async () => {
    const { clock, db, wallet } = await setup();
    expect((await balance(db, wallet)).posted.toFixed(2)).toBe('6.00');
    for (const [attempt, constraint] of [
      [sql`update ledger_accounts set posted = -0.01 where id = ${wallet}`, 'ledger_accounts_no_overdraft'],
      [sql`update ledger_accounts set posted = posted - 6.01 where id = ${wallet}`, 'ledger_accounts_no_overdraft'],
      [sql`update ledger_accounts set debits_pending = 6.01 where id = ${wallet}`, 'ledger_accounts_no_overdraft'],
      [sql`update ledger_accounts set credits_pending = -1 where id = ${wallet}`, 'ledger_accounts_pending_nonneg'],
      [sql`update ledger_accounts set posted = 5 where id = ${ISSUANCE}`, 'ledger_accounts_unbounded_no_counters'],
    ] as const) {
      const refused = await failure(() => db.execute(attempt));
      expect(refused.code, refused.message).toBe(CHECK);
      expect(refused.message).toContain(constraint);
    }
    const w = await balance(db, wallet);
    expect([w.posted.toFixed(2), w.held.toFixed(2)]).toEqual(['6.00', '0.00']);
    await expectSound(db, clock.now());
  });

  it('amounts beyond 2^53 stay exact through earn → hold → post → spend → balance → statement → trial balance', async () => {
    const clock = new FakeClock();
    const db = current().db;
    const ledger = createLedger(db, clock, { batching: false });
    const wallet = await openWallet(db);
    const partner = await openPartner(db);
    const BIG = '9007199254740993.01'; // 2^53 + 1.01: not representable as a double (it would read …992 or …994)
    expect(Number(BIG).toFixed(2)).not.toBe(BIG);

    const earned = await ledger.transfer({ key: 'big-earn', debit: ISSUANCE, credit: wallet, amount: D(BIG), code: 'earn' });
    expect(earned.amount.toFixed(2)).toBe(BIG);
    expect((await balance(db, wallet)).posted.toFixed(2)).toBe(BIG);
    const afterEarn = clock.now();

    clock.advance(1_000);
    await ledger.transfer({ key: 'cent', debit: ISSUANCE, credit: wallet, amount: D('0.01'), code: 'earn' });
    expect((await balance(db, wallet)).posted.toFixed(2)).toBe('9007199254740993.02');

    clock.advance(1_000);
    const hold = await ledger.hold({ key: 'big-hold', debit: wallet, credit: partner, amount: D('4503599627370497.03'), code: 'redeem' });
    let w = await balance(db, wallet);
    expect([w.posted.toFixed(2), w.held.toFixed(2), w.available.toFixed(2)]).toEqual([
      '9007199254740993.02',
      '4503599627370497.03',
      '4503599627370495.99',
    ]);
    clock.advance(1_000);
    const posted = await ledger.post({ key: 'big-post', holdId: hold.transferId, amount: D('4503599627370496.01') });
    expect(posted.amount.toFixed(2)).toBe('4503599627370496.01');

    clock.advance(1_000);
    await ledger.transfer({ key: 'big-spend', debit: wallet, credit: partner, amount: D('4503599627370496.99'), code: 'redeem' });
    w = await balance(db, wallet);
    expect([w.posted.toFixed(2), w.held.toFixed(2), w.available.toFixed(2)]).toEqual(['0.02', '0.00', '0.02']);
    expect((await balance(db, partner)).posted.toFixed(2)).toBe('9007199254740993.00');
    expect((await balance(db, ISSUANCE)).posted.toFixed(2)).toBe('-9007199254740993.02');
    expect((await balanceAsOf(db, wallet, afterEarn)).posted.toFixed(2)).toBe(BIG);

    // Newest first, with the running balance stored on each posted line.
    const { lines } = await statement(db, wallet);
    expect(lines.filter((l) => !l.pending).map((l) => [l.amount.toFixed(2), l.balanceAfter?.toFixed(2)])).toEqual([
      ['-4503599627370496.99', '0.02'],
      ['-4503599627370496.01', '4503599627370497.01'],
      ['0.01', '9007199254740993.02'],
      [BIG, BIG],
    ]);
    const issuanceLines = (await statement(db, ISSUANCE)).lines;
    expect(issuanceLines.map((l) => l.balanceAfter?.toFixed(2))).toEqual(['-9007199254740993.02', '-9007199254740993.01']);
    const { items } = await listTransfers(db, { accountId: wallet });
    expect(items.find((t) => t.id === earned.transferId)!.amount.toFixed(2)).toBe(BIG);
    expect(items.find((t) => t.id === earned.transferId)!.postings.map((p) => p.amount)).toEqual([`-${BIG}`, BIG]);

    // Sums over huge amounts are exact too.
    const [sums] = await queryRows<{ credits: string }>(db, sql`select sum(amount)::text as credits from ledger_postings where amount > 0 and not pending`);
    expect(sums!.credits).toBe(D(BIG).plus('0.01').plus('4503599627370496.01').plus('4503599627370496.99').toFixed(2));
    await expectSound(db, clock.now());
  });
});
