import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { balance, balanceAsOf, statement, trialBalance, verify } from '../../api/ledger/reads';
import type { DbHandle } from '../../db/client';
import { describeEachBackend } from '../support/backends';

const d = (v: string | number) => new Decimal(v);
const MINUTE = 60_000;

async function setup(handle: DbHandle, options: { batching?: boolean } = {}) {
  const clock = new FakeClock('2026-06-01T08:00:00.000Z');
  const ledger = createLedger(handle.db, clock, { batching: options.batching ?? false });
  const wallet = await openAccount(handle.db, { kind: 'driver_wallet', ownerId: randomUUID() });
  const partner = await openAccount(handle.db, { kind: 'partner_settlement', ownerId: randomUUID() });
  const fund = (account: string, amount: string) =>
    ledger.transfer({ key: `fund:${randomUUID()}`, debit: PROGRAMME_ACCOUNTS.issuance, credit: account, amount: d(amount), code: 'earn' });
  const inMinutes = (n: number) => new Date(clock.now().getTime() + n * MINUTE);
  return { clock, ledger, wallet, partner, fund, inMinutes, db: handle.db };
}

describeEachBackend('ledger operations', (current) => {
  it('a transfer moves points and both sides see it', async () => {
    const { ledger, wallet, partner, fund, db } = await setup(current());
    await fund(wallet, '100.00');
    await ledger.transfer({ key: 'spend-1', debit: wallet, credit: partner, amount: d('30.25'), code: 'redeem' });
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('69.75');
    expect((await balance(db, partner)).posted.toFixed(2)).toBe('30.25');
    expect((await balance(db, PROGRAMME_ACCOUNTS.issuance)).posted.toFixed(2)).toBe('-100.00');
    expect((await trialBalance(db)).balanced).toBe(true);
  });

  it('a wallet can never go below zero', async () => {
    const { ledger, wallet, partner, fund, db } = await setup(current());
    await fund(wallet, '5.00');
    const outcome = await ledger.run({ op: 'transfer', key: 'too-much', debit: wallet, credit: partner, amount: d('5.01') });
    expect(outcome).toMatchObject({ ok: false, code: 'insufficient_funds' });
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('5.00');
  });

  it('a hold reserves points; a partial post captures part and releases the rest', async () => {
    const { clock, ledger, wallet, partner, fund, inMinutes, db } = await setup(current());
    await fund(wallet, '50.00');
    const hold = await ledger.hold({ key: 'h1', debit: wallet, credit: partner, amount: d('40.00'), expiresAt: inMinutes(30) });
    let b = await balance(db, wallet);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['50.00', '40.00', '10.00']);
    expect((await ledger.run({ op: 'transfer', key: 'blocked', debit: wallet, credit: partner, amount: d('10.01') })).ok).toBe(false);

    await ledger.post({ key: 'p1', holdId: hold.transferId, amount: d('25.00') });
    b = await balance(db, wallet);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['25.00', '0.00', '25.00']);
    expect((await balance(db, partner)).posted.toFixed(2)).toBe('25.00');
    expect(await ledger.run({ op: 'void', key: 'v1', holdId: hold.transferId })).toMatchObject({ ok: false, code: 'hold_already_resolved' });
    expect((await verify(db, clock.now())).ok).toBe(true);
  });

  it('a capture larger than the hold is refused', async () => {
    const { ledger, wallet, partner, fund, inMinutes } = await setup(current());
    await fund(wallet, '10.00');
    const hold = await ledger.hold({ key: 'h', debit: wallet, credit: partner, amount: d('4.00'), expiresAt: inMinutes(1) });
    expect(await ledger.run({ op: 'post', key: 'p', holdId: hold.transferId, amount: d('4.01') })).toMatchObject({ ok: false, code: 'invalid_amount' });
  });

  it('a void releases a hold in full', async () => {
    const { ledger, wallet, partner, fund, inMinutes, db } = await setup(current());
    await fund(wallet, '10.00');
    const hold = await ledger.hold({ key: 'h', debit: wallet, credit: partner, amount: d('10.00'), expiresAt: inMinutes(1) });
    await ledger.void({ key: 'v', holdId: hold.transferId });
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('10.00');
    expect((await balance(db, partner)).posted.toFixed(2)).toBe('0.00');
  });

  it('an expired hold cannot be posted, and the expiry job releases it exactly once', async () => {
    const { clock, ledger, wallet, partner, fund, inMinutes, db } = await setup(current());
    await fund(wallet, '10.00');
    const hold = await ledger.hold({ key: 'h', debit: wallet, credit: partner, amount: d('6.00'), expiresAt: inMinutes(5) });
    clock.advance(5 * MINUTE);
    expect(await ledger.run({ op: 'post', key: 'late', holdId: hold.transferId })).toMatchObject({ ok: false, code: 'hold_expired' });
    expect((await verify(db, clock.now())).checks.find((c) => c.name === 'no expired hold still counted')?.ok).toBe(false);
    expect(await ledger.expireHolds()).toBe(1);
    expect(await ledger.expireHolds()).toBe(0);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('10.00');
    expect((await verify(db, clock.now())).ok).toBe(true);
  });

  it('a retry with the same key returns the first result, and a changed body is a conflict', async () => {
    const { ledger, wallet, partner, fund, db } = await setup(current());
    await fund(wallet, '10.00');
    const op = { op: 'transfer' as const, key: 'same', debit: wallet, credit: partner, amount: d('3.00') };
    const first = await ledger.run(op);
    const again = await ledger.run({ ...op, amount: d('3') }); // the same value, spelled differently
    expect(first.ok && again.ok && again.transferId === first.transferId && again.replayed).toBe(true);
    expect(await ledger.run({ ...op, amount: d('4.00') })).toMatchObject({ ok: false, code: 'idempotency_conflict' });
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('7.00');
  });

  it('a request that failed for lack of funds still fails when retried after funding', async () => {
    const { ledger, wallet, partner, fund, db } = await setup(current());
    const op = { op: 'transfer' as const, key: 'early', debit: wallet, credit: partner, amount: d('8.00') };
    expect(await ledger.run(op)).toMatchObject({ ok: false, code: 'insufficient_funds' });
    await fund(wallet, '20.00');
    expect(await ledger.run(op)).toMatchObject({ ok: false, code: 'insufficient_funds', replayed: true });
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('20.00');
  });

  it('a reversal mirrors the original once, and cannot take back points already spent', async () => {
    const { ledger, wallet, partner, fund, db } = await setup(current());
    const earned = await fund(wallet, '10.00');
    const reversal = await ledger.reverse({ key: 'r1', transferId: earned.transferId, reason: 'entered twice' });
    expect(reversal.reverses).toBe(earned.transferId);
    expect((await balance(db, wallet)).available.toFixed(2)).toBe('0.00');
    expect(await ledger.run({ op: 'reverse', key: 'r2', transferId: earned.transferId })).toMatchObject({ ok: false, code: 'already_reversed' });

    const second = await fund(wallet, '10.00');
    await ledger.transfer({ key: 'spend', debit: wallet, credit: partner, amount: d('9.00') });
    expect(await ledger.run({ op: 'reverse', key: 'r3', transferId: second.transferId })).toMatchObject({ ok: false, code: 'insufficient_funds' });
  });

  it('holds are voided, not reversed', async () => {
    const { ledger, wallet, partner, fund, inMinutes } = await setup(current());
    await fund(wallet, '10.00');
    const hold = await ledger.hold({ key: 'h', debit: wallet, credit: partner, amount: d('1.00'), expiresAt: inMinutes(1) });
    expect(await ledger.run({ op: 'reverse', key: 'r', transferId: hold.transferId })).toMatchObject({ ok: false, code: 'not_reversible' });
  });

  it('bad operands are refused with a reason, not an exception', async () => {
    const { clock, ledger, wallet, partner } = await setup(current());
    expect(await ledger.run({ op: 'transfer', key: 'a', debit: wallet, credit: wallet, amount: d('1') })).toMatchObject({ code: 'same_account' });
    expect(await ledger.run({ op: 'transfer', key: 'b', debit: wallet, credit: partner, amount: d('0') })).toMatchObject({ code: 'invalid_amount' });
    expect(await ledger.run({ op: 'transfer', key: 'c', debit: wallet, credit: partner, amount: d('1.001') })).toMatchObject({ code: 'invalid_amount' });
    expect(await ledger.run({ op: 'transfer', key: 'd', debit: randomUUID(), credit: partner, amount: d('1') })).toMatchObject({ code: 'account_not_found' });
    expect(await ledger.run({ op: 'post', key: 'e', holdId: randomUUID() })).toMatchObject({ code: 'hold_not_found' });
    expect(await ledger.run({ op: 'reverse', key: 'f', transferId: randomUUID() })).toMatchObject({ code: 'transfer_not_found' });
    expect(await ledger.run({ op: 'hold', key: 'g', debit: wallet, credit: partner, amount: d('1'), expiresAt: clock.now() })).toMatchObject({
      code: 'invalid_expiry',
    });
  });

  it('balance as of a past time, and a paginated statement with running balance', async () => {
    const { clock, ledger, wallet, partner, fund, db } = await setup(current());
    await fund(wallet, '10.00');
    const t1 = clock.now();
    for (let i = 0; i < 5; i++) {
      clock.advance(MINUTE);
      await ledger.transfer({ key: `s${i}`, debit: wallet, credit: partner, amount: d('1.50') });
    }
    const t2 = new Date(t1.getTime() + 2 * MINUTE);
    expect((await balanceAsOf(db, wallet, t1)).posted.toFixed(2)).toBe('10.00');
    expect((await balanceAsOf(db, wallet, t2)).posted.toFixed(2)).toBe('7.00');

    const first = await statement(db, wallet, { limit: 4 });
    expect(first.lines.map((l) => l.balanceAfter?.toFixed(2))).toEqual(['2.50', '4.00', '5.50', '7.00']);
    expect(first.nextCursor).not.toBeNull();
    const rest = await statement(db, wallet, { limit: 4, cursor: first.nextCursor! });
    expect(rest.lines.map((l) => l.balanceAfter?.toFixed(2))).toEqual(['8.50', '10.00']);
    expect(rest.nextCursor).toBeNull();
  });

  it('verify() catches a counter that disagrees with the postings', async () => {
    const { ledger, wallet, partner, fund, db, clock } = await setup(current());
    await fund(wallet, '10.00');
    await ledger.transfer({ key: 'x', debit: wallet, credit: partner, amount: d('1.00') });
    expect((await verify(db, clock.now())).ok).toBe(true);
    await db.execute(sql`update ledger_accounts set posted = posted + 1 where id = ${wallet}`);
    const report = await verify(db, clock.now());
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => !c.ok)).toMatchObject({ name: 'bounded counters equal their postings', detail: [wallet] });
  });

  it('through the group commit, each concurrent caller gets its own answer', async () => {
    const { clock, ledger, wallet, partner, fund, inMinutes, db } = await setup(current(), { batching: true });
    await fund(wallet, '3.00');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ledger.run({ op: 'hold', key: `b${i}`, debit: wallet, credit: partner, amount: d('1.00'), expiresAt: inMinutes(1) }),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok && o.code === 'insufficient_funds')).toHaveLength(9);
    // submission order is application order: the first three callers won
    expect(outcomes.slice(0, 3).every((o) => o.ok)).toBe(true);
    expect((await balance(db, wallet)).held.toFixed(2)).toBe('3.00');
    expect((await verify(db, clock.now())).ok).toBe(true);
  });
});
