// Redeems that arrive together share one transaction and one commit (RedeemBatcher), and each
// still gets its own answer: its voucher, its refusal, or its error. The database-level races
// (separate transactions, as from separate processes) are in redeem-*-race.test.ts.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { balance } from '../../api/ledger/reads';
import { redeem, redeemBatching } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, range } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';
import { expectMarketConsistent, outcome, raceDrivers, raceOffer, racePartner, tallyOutcomes } from './market-race-support';

describeEachBackend('market: redeems batched together', (current) => {
  async function scene() {
    const clock = new FakeClock();
    const db = current().db;
    const { committee, partner } = await racePartner(db, clock);
    return { clock, db, committee, partner };
  }

  it('30 redeems at once from a wallet good for 3 share commits, and exactly 3 get a voucher', async () => {
    const { clock, db, committee, partner } = await scene();
    const [driver] = await raceDrivers(db, clock, 1, '300.00');
    const offer = await raceOffer(db, clock, committee, partner.id, { price: '100.00', stock: 100, perDriverLimit: 100 });
    const before = { ...redeemBatching };

    const outcomes = await allOutcomes(range(30).map((i) => outcome(redeem(db, clock, driver!.user, offer.id, `batch-${i}`))));

    expect(tallyOutcomes(outcomes)).toEqual({ ok: 3, insufficient_funds: 27 });
    const b = await balance(db, driver!.wallet);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['300.00', '300.00', '0.00']);
    // The first went alone; the rest waited for it and went in batches.
    expect(redeemBatching.batches - before.batches).toBeGreaterThan(0);
    expect(redeemBatching.batchedRedeems - before.batchedRedeems).toBeGreaterThanOrEqual(20);
    expect(redeemBatching.batchesRunAlone - before.batchesRunAlone).toBe(0);
    await expectMarketConsistent(db, offer.id);
    await expectLedgerSound(db, clock.now());
  });

  it('many drivers, one small stock, retries of one key inside the same batch: every answer is its own', async () => {
    const { clock, db, committee, partner } = await scene();
    const drivers = await raceDrivers(db, clock, 12, '1000.00');
    const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 5, perDriverLimit: 10 });
    const first = redeem(db, clock, drivers[0]!.user, offer.id, 'warm-up'); // goes alone; the rest queue behind it
    const calls = [
      ...drivers.map((d, i) => outcome(redeem(db, clock, d.user, offer.id, `stock-${i}`))),
      outcome(redeem(db, clock, drivers[1]!.user, offer.id, 'stock-1')), // a retry, in the same batch
    ];
    await first;
    const outcomes = await allOutcomes(calls);

    expect(tallyOutcomes(outcomes)).toEqual({ ok: 5, out_of_stock: 8 });
    const retried = outcomes.slice(-1)[0] as { ok: true; value: { redemption: { id: string }; replayed: boolean } } | { ok: false };
    const original = outcomes[1] as typeof retried;
    expect(original.ok && retried.ok).toBe(true);
    if (original.ok && retried.ok) {
      expect(retried.value.redemption.id).toBe(original.value.redemption.id);
      expect(retried.value.replayed).toBe(true);
    }
    expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(0);
    await expectMarketConsistent(db, offer.id);
    await expectLedgerSound(db, clock.now());
  });

  it('one offer asked for in upper and in lower case, in one batch: its stock is taken once per voucher and the batch stands', async () => {
    const { clock, db, committee, partner } = await scene();
    const drivers = await raceDrivers(db, clock, 5, '1000.00');
    const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 100, perDriverLimit: 10 });
    const before = { ...redeemBatching };

    const first = redeem(db, clock, drivers[0]!.user, offer.id, 'warm-up');
    const calls = drivers.slice(1).map((d, i) => redeem(db, clock, d.user, i % 2 ? offer.id.toUpperCase() : offer.id, `cased-${i}`));
    await first;
    const done = await Promise.all(calls);

    expect(done.map((r) => r.redemption.status)).toEqual(['held', 'held', 'held', 'held']);
    expect(redeemBatching.batches - before.batches, 'they went as a batch').toBeGreaterThan(0);
    expect(redeemBatching.batchesRunAlone - before.batchesRunAlone, 'the batch was not undone').toBe(0);
    expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offer.id}`))!.n).toBe(95);
    await expectMarketConsistent(db, offer.id);
    await expectLedgerSound(db, clock.now());
  });

  it('one redeem that fails outright does not fail the batch it came in: the others still get their vouchers', async () => {
    const { clock, db, committee, partner } = await scene();
    const drivers = await raceDrivers(db, clock, 6, '1000.00');
    const offer = await raceOffer(db, clock, committee, partner.id, { price: '10.00', stock: 100, perDriverLimit: 10 });
    // An offer whose partner has no settlement account: its redeem raises inside the database.
    const orphanPartner = randomUUID();
    await db.execute(sql`insert into partners (id, name, kind, region, status, created_at) values (${orphanPartner}, 'Orphan', 'garage', 'Baoan', 'active', now())`);
    const orphan = randomUUID();
    await db.execute(sql`insert into offers (id, partner_id, category, title, description, face_value, price, stock_total, stock_left,
                                             per_driver_limit, limit_period, status, created_at, updated_at)
                         select ${orphan}, ${orphanPartner}, category, 'Orphan offer', '', face_value, price, 10, 10, 10, 'ever', 'active', created_at, updated_at
                           from offers where id = ${offer.id}`);
    const before = { ...redeemBatching };

    const first = redeem(db, clock, drivers[0]!.user, offer.id, 'warm-up');
    const calls = drivers.map((d, i) => redeem(db, clock, d.user, i === 2 ? orphan : offer.id, `mixed-${i}`));
    await first;
    const settled = await Promise.allSettled(calls);

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    const failure = settled[2] as PromiseRejectedResult;
    expect(JSON.stringify(failure.reason, Object.getOwnPropertyNames(failure.reason)) + String(failure.reason.cause)).toMatch(/no settlement account/);
    expect(redeemBatching.batchesRunAlone - before.batchesRunAlone).toBe(1);
    expect((await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${orphan}`))!.n).toBe(10);
    await expectMarketConsistent(db, offer.id);
    await expectLedgerSound(db, clock.now());
  });
});
