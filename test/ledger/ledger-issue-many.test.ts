import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { issueMany, type IssueOp } from '../../api/ledger/ledger';
import { balance, statement, verify } from '../../api/ledger/reads';
import type { DbHandle } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { planLogging } from './race-support';

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

describeEachBackend(
  'ledger bulk issuance: answering earlier keys probes them, whatever the size of the ledger',
  (current) => {
    const planned = planLogging(current);

    it('reads no stored key it was not asked about (migration 0011), and still answers retries and conflicts', async () => {
      const { db } = current();
      const [a] = await wallets(current(), 1);
      // Keys spread over the whole key index, as keys with UUIDs are.
      await db.execute(sql`insert into ledger_idempotency (key, request_hash, result, created_at)
                           select 'k:' || gen_random_uuid(), 'h', '{"ok": true}', now() from generate_series(1, 20000)`);
      await db.execute(sql`analyze ledger_idempotency`);
      const earlier = credit(a!, '1.00');
      expect((await issueMany(db, [earlier], NOW))[0]!.ok).toBe(true);

      const plans: string[] = [];
      const raw = await planned.open(plans);
      const ops = [...Array.from({ length: 600 }, () => credit(a!, '0.10')), earlier, { ...earlier, amount: new Decimal('2.00') }];
      const answers = await raw.begin(async (tx) => {
        const json = JSON.stringify(ops.map((op) => ({ ...op, amount: op.amount.toFixed(2), hash: `${op.key}:${op.amount.toFixed(2)}` })));
        return tx.unsafe('select r from ledger_issue_many($1::text::jsonb, $2::timestamptz) as r', [json, NOW.toISOString()]);
      });
      // 600 new credits paid; the earlier key answers as a conflict here (its stored hash differs
      // from the one this raw call sends), once for each of its two requests.
      expect(answers.slice(0, 600).every((r) => r.r.ok === true)).toBe(true);
      expect(answers.slice(600).map((r) => r.r.code)).toEqual(['idempotency_conflict', 'idempotency_conflict']);

      const answering = plans.filter((p) => /JOIN ledger_issue_batch f ON f\.ord = b\.first_ord/.test(p));
      expect(answering, plans.join('\n---\n')).toHaveLength(1);
      expect(answering[0]).not.toMatch(/Seq Scan on ledger_idempotency/);
      // two probes: the two operations on the earlier key; the 600 claimed keys are not looked up
      const probes = /Index (?:Only )?Scan using ledger_idempotency_pkey on ledger_idempotency \w+ .*\(actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)\)/.exec(answering[0]!);
      expect(probes, answering[0]).not.toBeNull();
      expect(Number(probes![1]) * Number(probes![2])).toBeLessThanOrEqual(2);
      expect(Number(probes![2])).toBe(2);
    });
  },
  { postgresOnly: true },
);
