// A wallet's statement must read in step after concurrent spends: newest first, each posted
// line's running balance equals the one before it plus the line's amount. Statements are
// ordered by (created_at, transfer_id, leg); created_at is the application's clock when the call
// was made and the transfer id is a UUIDv7 taken when the SQL function starts — both before the
// call waits for the wallet's row lock — so calls that queue on one wallet can commit in a
// different order from the one the statement lists them in. Real PostgreSQL only.

import { expect, it } from 'vitest';
import { FakeClock, systemClock, type Clock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { statement, type StatementLine } from '../../api/ledger/reads';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, D, expectSound, extraConnections, fund, openPartner, openWallet, range, tally } from './race-support';

/** Lines (oldest first) whose running balance does not follow from the line before. */
function outOfStep(newestFirst: StatementLine[]): string[] {
  const lines = newestFirst.filter((l) => !l.pending).reverse();
  const bad: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const expected = lines[i - 1]!.balanceAfter!.plus(lines[i]!.amount);
    if (!expected.eq(lines[i]!.balanceAfter!)) bad.push(`line ${i}: ${lines[i - 1]!.balanceAfter} ${lines[i]!.amount} → ${lines[i]!.balanceAfter}, expected ${expected}`);
  }
  return bad;
}

describeEachBackend(
  'ledger: statements stay in step under concurrent spends',
  (current) => {
    const more = extraConnections(current);

    for (const [name, makeClock] of [
      ['a fake clock (every call at the same instant)', () => new FakeClock()],
      ['the system clock', () => systemClock],
    ] as Array<[string, () => Clock]>) {
      it(`40 concurrent spends on a 24-connection pool, with ${name}: each statement line's running balance follows from the one before`, async () => {
        const clock = makeClock();
        const db = current().db;
        const wallet = await openWallet(db);
        const partner = await openPartner(db);
        await fund(createLedger(db, clock, { batching: false }), wallet, '100.00');
        const pool = await more.pool(24);
        const ledger = createLedger(pool.db, clock, { batching: false });

        const outcomes = await allOutcomes(
          range(40).map((i) => ledger.run({ op: 'transfer', key: `s-${i}`, debit: wallet, credit: partner, amount: D('1.00'), code: 'redeem' })),
        );
        expect(tally(outcomes)).toEqual({ ok: 40 });
        const { lines } = await statement(db, wallet, { limit: 200 });
        expect(lines.filter((l) => !l.pending)).toHaveLength(41);
        expect(lines[0]!.balanceAfter!.toFixed(2), 'the newest line shows the current balance').toBe('60.00');
        expect(outOfStep(lines)).toEqual([]);
        await expectSound(db, clock.now());
      });
    }
  },
  { postgresOnly: true },
);
