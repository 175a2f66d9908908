import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { expect, it } from 'vitest';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { issueMany, type IssueOp } from '../../api/ledger/ledger';
import { balance, statement, verify } from '../../api/ledger/reads';
import type { DbHandle } from '../../db/client';
import { describeEachBackend } from '../support/backends';

const NOW = new Date('2026-06-01T08:00:00.000Z');

async function wallets(handle: DbHandle, n: number) {
  return Promise.all(Array.from({ length: n }, () => openAccount(handle.db, { kind: 'driver_wallet', ownerId: randomUUID() })));
}

const credit = (wallet: string, amount: string, key = `k:${randomUUID()}`): IssueOp => ({
  key,
  debit: PROGRAMME_ACCOUNTS.issuance,
  credit: wallet,
  amount: new Decimal(amount),
  code: 'earn.test',
});

describeEachBackend('ledger bulk issuance', (current) => {
  it('credits many wallets in one call, numbering each wallet’s lines with running balances', async () => {
    const { db } = current();
    const [a, b] = await wallets(current(), 2);
    const outcomes = await db.transaction((tx) =>
      issueMany(tx, [credit(a!, '10.00'), credit(b!, '2.50'), credit(a!, '5.25'), credit(a!, '0.75')], NOW),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect((await balance(db, a!)).posted.toFixed(2)).toBe('16.00');
    expect((await balance(db, b!)).posted.toFixed(2)).toBe('2.50');
    const lines = (await statement(db, a!)).lines;
    expect(lines.map((l) => [l.amount.toFixed(2), l.balanceAfter?.toFixed(2)])).toEqual([
      ['0.75', '16.00'],
      ['5.25', '15.25'],
      ['10.00', '10.00'],
    ]);
    expect((await verify(db, NOW)).ok).toBe(true);
  });

  it('keys are idempotent across calls and within a batch; a reused key with another amount conflicts', async () => {
    const { db } = current();
    const [a] = await wallets(current(), 1);
    const first = await issueMany(db, [credit(a!, '10.00', 'same'), credit(a!, '10.00', 'same'), credit(a!, '3.00', 'same')], NOW);
    expect(first.map((o) => (o.ok ? ['ok', o.replayed] : [o.code]))).toEqual([['ok', false], ['ok', true], ['idempotency_conflict']]);
    const again = await issueMany(db, [credit(a!, '10.00', 'same'), credit(a!, '4.00', 'same')], NOW);
    expect(again[0]!.ok && again[0]!.replayed && again[0]!.transferId).toBe(first[0]!.ok && first[0]!.transferId);
    expect(again[1]!.ok ? 'ok' : again[1]!.code).toBe('idempotency_conflict');
    expect((await balance(db, a!)).posted.toFixed(2)).toBe('10.00');
  });

  it('refuses bad amounts, missing or wrong-kind accounts per operation, and pays the rest', async () => {
    const { db } = current();
    const [a, b] = await wallets(current(), 2);
    const outcomes = await issueMany(
      db,
      [
        credit(a!, '1.005'),
        credit(a!, '0'),
        credit(randomUUID(), '1.00'),
        { ...credit(b!, '1.00'), debit: a! },
        credit(PROGRAMME_ACCOUNTS.settled, '1.00'),
        credit(b!, '7.00'),
      ],
      NOW,
    );
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
      'invalid_amount',
      'invalid_amount',
      'account_not_found',
      'not_supported',
      'not_supported',
      'ok',
    ]);
    expect((await balance(db, a!)).posted.toFixed(2)).toBe('0.00');
    expect((await balance(db, b!)).posted.toFixed(2)).toBe('7.00');
    expect((await verify(db, NOW)).ok).toBe(true);
  });
});
