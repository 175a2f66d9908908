// ledger_hold_many (migration 0014) places holds that a caller decided under its own locks, with
// one statement per table. It must write what ledger_apply_moves writes for the same holds
// (counters, legs numbered on per bounded account, open holds, idempotency records with their
// results), and raise, writing nothing, on anything the ledger refuses, overspending first.
// ledger_uuid7_many draws ids as that many ledger_uuid7 calls would: after the last one drawn,
// in order, and the next single id after them.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { openAccount } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { queryOne, queryRows, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { expectSound, failure, fund, openPartner, openWallet } from './race-support';

interface Hold {
  key: string;
  debit: string;
  credit: string;
  amount: string;
  expiresAt: string | null;
}

/** One call of ledger_hold_many; ref_id is the key, so each hold can be found again. */
async function holdMany(db: Db, holds: Hold[], now: string): Promise<string[]> {
  const row = await queryOne<{ ids: string[] }>(
    db,
    sql`with h as (select x, ord from jsonb_array_elements(${JSON.stringify(holds)}::jsonb) with ordinality as e(x, ord))
        select ledger_hold_many(
          (select array_agg(x->>'key' order by ord) from h), (select array_agg('hash:' || (x->>'key') order by ord) from h),
          (select array_agg((x->>'debit')::uuid order by ord) from h), (select array_agg((x->>'credit')::uuid order by ord) from h),
          (select array_agg((x->>'amount')::numeric order by ord) from h), (select array_agg((x->>'expiresAt')::timestamptz order by ord) from h),
          (select array_agg('test-hold'::text) from h), (select array_agg('why'::text) from h), (select array_agg(null::uuid) from h),
          (select array_agg('test'::text) from h), (select array_agg(x->>'key' order by ord) from h), ${now}::timestamptz) as ids`,
  );
  return row!.ids;
}

async function counters(db: Db, ids: string[]) {
  return queryRows<{ id: string; posted: string; debits_pending: string; credits_pending: string; entries: string }>(
    db,
    sql`select id, posted::text, debits_pending::text, credits_pending::text, entries::text from ledger_accounts
         where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) order by id`,
  );
}

async function scene(db: Db) {
  const clock = new FakeClock();
  const ledger = createLedger(db, clock, { batching: false });
  const [a, b] = [await openWallet(db), await openWallet(db)];
  const partner = await openPartner(db);
  await fund(ledger, a, '50.00', 2); // two lines already on a: its holds' legs are lines 3, 4, …
  await fund(ledger, b, '30.00');
  const later = new Date(clock.now().getTime() + 86_400_000).toISOString();
  return { clock, a, b, partner, now: clock.now().toISOString(), later };
}

describeEachBackend('ledger: holds placed many at once (ledger_hold_many)', (current) => {
  it('writes the holds, their legs numbered on per bounded account, open holds, counters and idempotency results', async () => {
    const db = current().db;
    const { clock, a, b, partner, now, later } = await scene(db);
    // A bounded account on the credit side too: its credits_pending and line numbers move.
    const c = await openAccount(db, { kind: 'driver_wallet', ownerId: randomUUID() });
    const holds: Hold[] = [
      { key: `k1:${randomUUID()}`, debit: a, credit: partner, amount: '40.00', expiresAt: later },
      { key: `k2:${randomUUID()}`, debit: b, credit: partner, amount: '30.00', expiresAt: later },
      { key: `k3:${randomUUID()}`, debit: a, credit: c, amount: '59.99', expiresAt: null },
      { key: `k4:${randomUUID()}`, debit: a, credit: partner, amount: '0.01', expiresAt: later },
    ];
    const ids = await holdMany(db, holds, now);
    expect(ids).toHaveLength(4);
    expect([...ids].sort(), 'time-ordered ids, in hold order').toEqual(ids);

    expect(await counters(db, [a, b, c, partner])).toEqual(
      [
        { id: a, posted: '100.00', debits_pending: '100.00', credits_pending: '0.00', entries: '5' },
        { id: b, posted: '30.00', debits_pending: '30.00', credits_pending: '0.00', entries: '2' },
        { id: c, posted: '0.00', debits_pending: '0.00', credits_pending: '59.99', entries: '1' },
        // unbounded: no counters, as with every ledger write
        { id: partner, posted: '0.00', debits_pending: '0.00', credits_pending: '0.00', entries: '0' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    const legs = await queryRows<{ ref_id: string; leg: number; account_id: string; amount: string; pending: boolean; seq: string | null; balance_after: string | null }>(
      db,
      sql`select t.ref_id, p.leg, p.account_id, p.amount::text, p.pending, p.seq::text, p.balance_after::text
            from ledger_postings p join ledger_transfers t on t.id = p.transfer_id
           where t.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) order by t.id, p.leg`,
    );
    const line = (account: string, seq: string | null) => ({ account, seq });
    expect(legs.map((l) => [l.ref_id.slice(0, 2), l.leg, line(l.account_id, l.seq), l.amount, l.pending, l.balance_after])).toEqual([
      ['k1', 0, line(a, '3'), '-40.00', true, null],
      ['k1', 1, line(partner, null), '40.00', true, null],
      ['k2', 0, line(b, '2'), '-30.00', true, null],
      ['k2', 1, line(partner, null), '30.00', true, null],
      ['k3', 0, line(a, '4'), '-59.99', true, null],
      ['k3', 1, line(c, '1'), '59.99', true, null],
      ['k4', 0, line(a, '5'), '-0.01', true, null],
      ['k4', 1, line(partner, null), '0.01', true, null],
    ]);
    const transfers = await queryRows<{ id: string; type: string; code: string; amount: string; expires_at: Date | null; open: boolean }>(
      db,
      sql`select t.id, t.type, t.code, t.amount::text, t.expires_at,
                 exists (select 1 from ledger_open_holds h where h.hold_id = t.id and h.debit_account_id = (select account_id from ledger_postings where transfer_id = t.id and leg = 0)) as open
            from ledger_transfers t where t.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) order by t.id`,
    );
    expect(transfers.map((t) => [t.type, t.code, t.amount, t.expires_at === null, t.open])).toEqual([
      ['pending', 'test-hold', '40.00', false, true],
      ['pending', 'test-hold', '30.00', false, true],
      ['pending', 'test-hold', '59.99', true, true],
      ['pending', 'test-hold', '0.01', false, true],
    ]);
    const records = await queryRows<{ key: string; request_hash: string; result: Record<string, unknown> }>(
      db,
      sql`select key, request_hash, result from ledger_idempotency where key in (select jsonb_array_elements_text(${JSON.stringify(holds.map((h) => h.key))}::jsonb)) order by key`,
    );
    expect(records.map((r) => [r.request_hash, r.result.ok, r.result.type, r.result.amount, r.result.transferId])).toEqual(
      holds.map((h, i) => [`hash:${h.key}`, true, 'pending', h.amount, ids[i]]),
    );
    await expectSound(db, clock.now());

    // The ledger's own path resolves these holds like any other: a post of one, a void of another.
    const ledger = createLedger(db, clock, { batching: false });
    await ledger.post({ key: `post:${ids[0]}`, holdId: ids[0]! });
    await ledger.void({ key: `void:${ids[2]}`, holdId: ids[2]! });
    expect(await counters(db, [a])).toEqual([{ id: a, posted: '60.00', debits_pending: '0.01', credits_pending: '0.00', entries: '8' }]);
    await expectSound(db, clock.now());
  });

  it('raises and writes nothing for an overspend across holds, a broken rule, a used key or arrays that do not line up', async () => {
    const db = current().db;
    const { clock, a, b, partner, now, later } = await scene(db);
    const fresh = (over: Partial<Hold> = {}): Hold => ({ key: `k:${randomUUID()}`, debit: a, credit: partner, amount: '10.00', expiresAt: later, ...over });
    const used = fresh();
    await holdMany(db, [used], now);
    const before = {
      counters: await counters(db, [a, b, partner]),
      transfers: await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_transfers`),
      records: await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_idempotency`),
    };

    // a has 100.00, 10.00 of it held: 60 + 30.01 is more than the 90.00 left, though each alone fits
    const overspend = await failure(() => holdMany(db, [fresh({ amount: '60.00' }), fresh({ debit: b, amount: '5.00' }), fresh({ amount: '30.01' })], now));
    expect(overspend.message).toMatch(/fewer points available/);
    for (const [what, hold] of [
      ['same account', fresh({ credit: a })],
      ['three decimals', fresh({ amount: '1.005' })],
      ['zero', fresh({ amount: '0' })],
      ['negative', fresh({ amount: '-5.00' })],
      ['expired', fresh({ expiresAt: now })],
    ] as const) {
      const refused = await failure(() => holdMany(db, [fresh(), hold], now));
      expect(refused.message, what).toMatch(/hold 2 .* breaks a ledger rule/);
    }
    const reused = await failure(() => holdMany(db, [fresh(), used], now));
    expect(reused.code).toBe('23505');
    const twice = fresh();
    expect((await failure(() => holdMany(db, [twice, twice], now))).code).toBe('23505');
    const ragged = await failure(() =>
      db.execute(sql`select ledger_hold_many(array['x', 'y'], array['h'], array[${a}]::uuid[], array[${partner}]::uuid[], array[1]::numeric[],
                       array[null]::timestamptz[], array['c'], array['r'], array[null]::uuid[], array['t'], array['x'], ${now}::timestamptz)`),
    );
    expect(ragged.message).toMatch(/one element per hold/);
    // unknown accounts: the legs' own check refuses them
    expect((await failure(() => holdMany(db, [fresh({ credit: randomUUID() })], now))).code).toBe('23503');

    expect({
      counters: await counters(db, [a, b, partner]),
      transfers: await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_transfers`),
      records: await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_idempotency`),
    }).toEqual(before);
    await expectSound(db, clock.now());
  });

  it('draws ids in order after the last one drawn, carrying into the next millisecond', async () => {
    const db = current().db;
    const ids = await db.transaction(async (tx) => {
      const one = await queryOne<{ id: string }>(tx, sql`select ledger_uuid7() as id`);
      const many = await queryOne<{ ids: string[] }>(tx, sql`select ledger_uuid7_many(5) as ids`);
      const next = await queryOne<{ id: string }>(tx, sql`select ledger_uuid7() as id`);
      // far ahead of the clock, at the last counter value of a millisecond
      await tx.execute(sql`select set_config('ledger.last_uuid7', '4000000000000:4094', true)`);
      const carried = await queryOne<{ ids: string[] }>(tx, sql`select ledger_uuid7_many(3) as ids`);
      const after = await queryOne<{ setting: string }>(tx, sql`select current_setting('ledger.last_uuid7') as setting`);
      return { all: [one!.id, ...many!.ids, next!.id], carried: carried!.ids, after: after!.setting };
    });
    expect(new Set(ids.all).size).toBe(7);
    expect([...ids.all].sort()).toEqual(ids.all);
    const ms = (4_000_000_000_000).toString(16).padStart(12, '0');
    const next = (4_000_000_000_001).toString(16).padStart(12, '0');
    expect(ids.carried.map((id) => id.replaceAll('-', '').slice(0, 16))).toEqual([`${ms}7fff`, `${next}7000`, `${next}7001`]);
    expect(ids.after).toBe('4000000000001:1');
    expect((await queryOne<{ ids: string[] }>(db, sql`select ledger_uuid7_many(0) as ids`))!.ids).toEqual([]);
  });
});
