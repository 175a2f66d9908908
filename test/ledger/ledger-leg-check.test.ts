// The posting trigger refuses legs that name a transfer or an account that does not exist (the
// ledger has no per-row foreign keys on legs; the trigger checks a whole statement at once). And
// that check must cost the same however big the ledger is: it probes the primary keys for the new
// legs (anti-joins), where an OR of the two checks read every transfer and account id into a
// hash table on every insert (migration 0008). The balance check reads only the new legs (0009).

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger } from '../../api/ledger/ledger';
import { queryRows, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { D, expectSound, failure, fund, openPartner, openWallet, planLogging } from './race-support';

const FOREIGN_KEY = '23503'; // foreign_key_violation

async function scene(db: Db) {
  const clock = new FakeClock();
  const ledger = createLedger(db, clock, { batching: false });
  const wallet = await openWallet(db);
  const partner = await openPartner(db);
  await fund(ledger, wallet, '10.00');
  return { clock, ledger, wallet, partner, now: clock.now().toISOString() };
}

const postings = async (db: Db) => (await queryRows<{ n: string }>(db, sql`select count(*)::text as n from ledger_postings`))[0]!.n;

describeEachBackend('ledger: legs must name a transfer and an account that exist', (current) => {
  it('a leg of a transfer that does not exist, or on an account that does not exist, is refused and nothing is written', async () => {
    const db = current().db;
    const { clock, wallet, partner, now } = await scene(db);
    const before = await postings(db);

    const noTransfer = await failure(() =>
      db.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
        (${randomUUID()}, 0, ${partner}, -5, false, ${now}::timestamptz),
        (${randomUUID()}, 1, ${wallet}, 5, false, ${now}::timestamptz)`),
    );
    expect(noTransfer.code, noTransfer.message).toBe(FOREIGN_KEY);
    expect(noTransfer.message).toMatch(/missing transfer/);

    const id = randomUUID();
    const noAccount = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into ledger_transfers (id, type, code, amount, created_at) values (${id}, 'posted', 'forged', 5, ${now}::timestamptz)`);
        await tx.execute(sql`insert into ledger_postings (transfer_id, leg, account_id, amount, pending, created_at) values
          (${id}, 0, ${partner}, -5, false, ${now}::timestamptz),
          (${id}, 1, ${randomUUID()}, 5, false, ${now}::timestamptz)`);
      }),
    );
    expect(noAccount.code, noAccount.message).toBe(FOREIGN_KEY);
    expect(noAccount.message).toMatch(/or account/);

    expect(await postings(db)).toBe(before);
    await expectSound(db, clock.now());
  });
});

describeEachBackend(
  'ledger: the leg check probes keys, whatever the size of the ledger',
  (current) => {
    const planned = planLogging(current);

    it('plans the existence checks as a probe of each key, never as a scan or hash of every transfer or account', async () => {
      const db = current().db;
      const { ledger, wallet, partner } = await scene(db);
      for (let i = 0; i < 20; i++) await ledger.transfer({ key: `spend-${i}`, debit: wallet, credit: partner, amount: D('0.10'), code: 'redeem' });

      // auto_explain hands the plan of every statement the trigger runs back as a message.
      const plans: string[] = [];
      const raw = await planned.open(plans);
      const op = { op: 'transfer', key: 'probe', hash: 'probe', debit: wallet, credit: partner, amount: '0.10', code: 'redeem' };
      const [row] = await raw.unsafe('select ledger_apply($1::text::jsonb, now()) as r', [JSON.stringify(op)]);
      expect(row!.r.ok).toBe(true);

      // One statement looks up every new leg's transfer and account, each by its key (migration 0013).
      const checks = plans.filter((p) => /FROM new_postings n\s+LEFT JOIN LATERAL/.test(p));
      expect(checks, plans.join('\n---\n')).toHaveLength(1);
      expect(checks[0]).toMatch(/Index (Only )?Scan using ledger_transfers_pkey/);
      expect(checks[0]).toMatch(/Index (Only )?Scan using ledger_accounts_pkey/);
      expect(checks[0]).not.toMatch(/Seq Scan on ledger_(transfers|accounts)|Hash/);
      // The balance check sums the statement's own legs (migration 0009): postings are
      // append-only, so nothing already written can unbalance a transfer; it reads no old legs.
      const balance = plans.filter((p) => /GROUP BY n\.transfer_id, n\.pending/.test(p));
      expect(balance, plans.join('\n---\n')).toHaveLength(1);
      expect(balance[0]).not.toMatch(/ledger_postings/);
    });
  },
  { postgresOnly: true },
);
