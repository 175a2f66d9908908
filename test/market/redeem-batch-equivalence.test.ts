// market_redeem_many decides a whole batch at once (migration 0013): one read, decisions in
// memory, one ledger call, one voucher INSERT. Its answers must be exactly those of the same
// requests run one by one through market_redeem, in the same order, on the same data: every
// refusal, every voucher, every price, and what is left in wallets and stock afterwards. Both
// runs happen in transactions that are rolled back, so they start from the same state.

import { createHash, randomUUID } from 'node:crypto';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { redeem } from '../../api/market/redemptions';
import { newVoucherCode } from '../../api/market/voucher';
import { DEFAULT_POLICY } from '../../api/rating/policy';
import { describeEachBackend } from '../support/backends';
import { seededRandom } from '../ledger/race-support';
import { raceDrivers, raceOffer, racePartner } from './market-race-support';

const DAY = 86_400_000;
const BENEFITS = JSON.stringify(DEFAULT_POLICY.benefits);

async function rolledBack<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction(async (tx) => {
      result = await work(tx as unknown as Db);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return result!;
}

describeEachBackend('market: a batch of redeems answers as the same redeems one by one', (current) => {
  it('refusals of every kind, replays and conflicts inside the batch, stock, limits and funds running out: the same answers and the same state', async () => {
    const clock = new FakeClock();
    const db = current().db;
    const { committee, partner } = await racePartner(db, clock);
    const drivers = [...(await raceDrivers(db, clock, 4, '100.00')), ...(await raceDrivers(db, clock, 2, '1000.00'))];
    const graded = drivers[5]!; // rated AAA inside each run: 10% off, and may take the AA offer
    const scarce = await raceOffer(db, clock, committee, partner.id, { title: 'Scarce', price: '30.00', stock: 4, perDriverLimit: 2 });
    const daily = await raceOffer(db, clock, committee, partner.id, { title: 'Daily', price: '45.55', stock: 50, perDriverLimit: 1, limitPeriod: 'day' });
    const paused = await raceOffer(db, clock, committee, partner.id, { title: 'Paused', price: '10.00', stock: 50, perDriverLimit: 5 });
    const gated = await raceOffer(db, clock, committee, partner.id, { title: 'Gated', price: '20.00', stock: 50, perDriverLimit: 5 });
    const ended = await raceOffer(db, clock, committee, partner.id, { title: 'Ended', price: '20.00', stock: 50, perDriverLimit: 5 });
    const plenty = await raceOffer(db, clock, committee, partner.id, { title: 'Plenty', price: '12.34', stock: 100, perDriverLimit: 3, limitPeriod: 'week' });
    await db.execute(sql`update offers set status = 'paused' where id = ${paused.id}`);
    await db.execute(sql`update offers set min_grade = 'AA' where id = ${gated.id}`);
    await db.execute(sql`update offers set valid_to = ${new Date(clock.now().getTime() - DAY).toISOString()}::timestamptz where id = ${ended.id}`);
    // Vouchers from before the batch: one to replay, and the daily limit already used.
    await redeem(db, clock, drivers[0]!.user, daily.id, 'before', { alone: true });
    clock.advance(1000);

    const offerIds = [scarce.id, daily.id, paused.id, gated.id, ended.id, plenty.id, randomUUID()];
    const driverIds = [...drivers.map((d) => d.user.id), randomUUID()]; // the last has no wallet
    const hash = (offerId: string) => createHash('sha256').update(offerId).digest('base64url');
    const random = seededRandom(7);
    const pick = (n: number) => Math.floor(random() * n);
    const start = clock.now().getTime();
    const requests: Record<string, string>[] = [];
    for (let i = 0; i < 60; i++) {
      const earlier = requests[pick(Math.max(requests.length, 1))];
      const roll = pick(10);
      let driverId = driverIds[pick(driverIds.length)]!;
      let offerId = offerIds[pick(offerIds.length)]!;
      let key = `${driverId}:k${i}`;
      if (roll === 0 && earlier) [driverId, offerId, key] = [earlier.driverId!, earlier.offerId!, earlier.requestKey!]; // a retry
      else if (roll === 1 && earlier) [driverId, key] = [earlier.driverId!, earlier.requestKey!]; // the key reused for another offer
      else if (roll === 2) [driverId, offerId, key] = [drivers[0]!.user.id, daily.id, `${drivers[0]!.user.id}:before`]; // a retry of the earlier voucher
      const now = new Date(start + i);
      requests.push({
        driverId,
        offerId,
        id: randomUUID(),
        code: newVoucherCode(),
        requestKey: key,
        requestHash: hash(offerId),
        now: now.toISOString(),
        expiresAt: new Date(now.getTime() + 30 * DAY).toISOString(),
      });
    }

    const rate = async (tx: Db) => {
      const version = await queryOne<{ n: number }>(tx, sql`select coalesce(max(version), 0) + 1 as n from rating_policy_versions`);
      const policy = await queryOne<{ id: string }>(
        tx,
        sql`insert into rating_policy_versions (version, effective_from, policy, created_at)
            values (${version!.n}, '2000-01-01', ${JSON.stringify(DEFAULT_POLICY)}::jsonb, now()) returning id`,
      );
      await tx.execute(sql`insert into driver_ratings (driver_id, grade, score, policy_version_id, safety_points, volunteering_points, reporting_points,
                             minor_violations, major_violations, at_fault_accidents, serious_accidents, volunteer_hours, verified_reports, streak_since, rated_at)
                           values (${graded.user.id}, 'AAA', 90, ${policy!.id}, 40, 30, 20, 0, 0, 0, 0, 10, 5, '2020-01-01', now())`);
    };
    const state = async (tx: Db) => ({
      wallets: await queryRows(tx, sql`select owner_id, posted::text, debits_pending::text from ledger_accounts where kind = 'driver_wallet' order by owner_id`),
      settlement: await queryRows(tx, sql`select credits_pending::text from ledger_accounts where kind = 'partner_settlement' and owner_id = ${partner.id}`),
      stock: await queryRows(tx, sql`select title, stock_left from offers where partner_id = ${partner.id} order by title`),
      holds: await queryRows(tx, sql`select count(*)::int as n, coalesce(sum(amount), 0)::text as total from ledger_transfers where type = 'pending'`),
    });
    // The hold's id is the ledger's own (time-ordered, drawn when written); everything else comes from the request.
    const comparable = (answers: unknown[]) =>
      answers.map((a) => JSON.parse(JSON.stringify(a), (k, v) => (k === 'holdId' ? typeof v : v)) as Record<string, unknown>);

    const batched = await rolledBack(db, async (tx) => {
      await rate(tx);
      const row = await queryOne<{ r: unknown[] }>(tx, sql`select market_redeem_many(${JSON.stringify(requests)}::jsonb, ${BENEFITS}::jsonb) as r`);
      return { answers: comparable(row!.r), state: await state(tx) };
    });
    const oneByOne = await rolledBack(db, async (tx) => {
      await rate(tx);
      const answers: unknown[] = [];
      for (const r of requests) {
        const row = await queryOne<{ r: unknown }>(tx, sql`select market_redeem(${JSON.stringify(r)}::jsonb, ${r.now}::timestamptz, ${BENEFITS}::jsonb) as r`);
        answers.push(row!.r);
      }
      return { answers: comparable(answers), state: await state(tx) };
    });

    // The mix is what the test is for: every outcome is there, the batch's own limits are reached.
    const outcomes = new Set(oneByOne.answers.map((a) => (a.refused as string) ?? (a.replayed ? 'replayed' : 'issued')));
    expect([...outcomes].sort()).toEqual(
      [
        'issued', 'replayed', 'no_wallet', 'idempotency_conflict', 'offer_not_found', 'offer_not_active',
        'grade_too_low', 'limit_reached', 'out_of_stock', 'insufficient_funds',
      ].sort(),
    );
    expect(oneByOne.answers.some((a) => a.offerTitle === 'Gated' && !a.refused), 'the AAA driver takes the AA offer').toBe(true);
    expect(batched.answers).toEqual(oneByOne.answers);
    expect(batched.state).toEqual(oneByOne.state);
  });
});
