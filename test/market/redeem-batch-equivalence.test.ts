// market_redeem_many decides a whole batch at once (migrations 0013 and 0014). Its answers must be
// exactly those of the same requests run one by one through market_redeem, in the same order, on
// the same data: every refusal, every voucher, every price, and what is left in wallets and stock
// afterwards. Both runs happen in transactions that are rolled back, so they start from the same
// state.
//
// A batch in which no redeem runs short of stock, limit or points (counting every redeem before it
// that passed its own checks) and no request key comes twice is decided by one query (0014); any
// other batch goes through the loop, market_redeem_many_in_order (0013). Each test also says which
// of the two answered: the loop is replaced, inside a rolled-back transaction, by one that raises.

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
/** The request hash redeem() stores, so that a request here can replay a voucher it issued. */
const asTheAppHashes = (offerId: string) => createHash('sha256').update(JSON.stringify({ offerId })).digest('base64url');
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

type Request = Record<string, string>;

/**
 * Drivers with 100.00 (four) and 1000.00 (two, the last rated AAA inside each run), offers of every
 * kind of refusal, and a voucher from before the batch (the first driver's, on the daily offer).
 */
async function scene(db: Db) {
  const clock = new FakeClock();
  const { committee, partner } = await racePartner(db, clock);
  const drivers = [...(await raceDrivers(db, clock, 4, '100.00')), ...(await raceDrivers(db, clock, 2, '1000.00'))];
  const graded = drivers[5]!; // rated AAA inside each run: 10% off, and may take the AA offer
  const offers = {
    scarce: await raceOffer(db, clock, committee, partner.id, { title: 'Scarce', price: '30.00', stock: 4, perDriverLimit: 2 }),
    daily: await raceOffer(db, clock, committee, partner.id, { title: 'Daily', price: '45.55', stock: 50, perDriverLimit: 1, limitPeriod: 'day' }),
    paused: await raceOffer(db, clock, committee, partner.id, { title: 'Paused', price: '10.00', stock: 50, perDriverLimit: 5 }),
    gated: await raceOffer(db, clock, committee, partner.id, { title: 'Gated', price: '20.00', stock: 50, perDriverLimit: 5 }),
    ended: await raceOffer(db, clock, committee, partner.id, { title: 'Ended', price: '20.00', stock: 50, perDriverLimit: 5 }),
    plenty: await raceOffer(db, clock, committee, partner.id, { title: 'Plenty', price: '12.34', stock: 100, perDriverLimit: 3, limitPeriod: 'week' }),
    even: await raceOffer(db, clock, committee, partner.id, { title: 'Even', price: '25.00', stock: 50, perDriverLimit: 5 }),
  };
  await db.execute(sql`update offers set status = 'paused' where id = ${offers.paused.id}`);
  await db.execute(sql`update offers set min_grade = 'AA' where id = ${offers.gated.id}`);
  await db.execute(sql`update offers set valid_to = ${new Date(clock.now().getTime() - DAY).toISOString()}::timestamptz where id = ${offers.ended.id}`);
  // A voucher from before the batch: one to replay, and the daily limit already used.
  await redeem(db, clock, drivers[0]!.user, offers.daily.id, 'before', { alone: true });
  clock.advance(1000);

  const start = clock.now().getTime();
  const hash = (offerId: string) => createHash('sha256').update(offerId).digest('base64url');
  let n = 0;
  const request = (driverId: string, offerId: string, key = `${driverId}:k${n}`): Request => {
    const now = new Date(start + n++);
    return {
      driverId,
      offerId,
      id: randomUUID(),
      code: newVoucherCode(),
      requestKey: key,
      requestHash: hash(offerId),
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * DAY).toISOString(),
    };
  };

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

  /** The requests as one batch and one by one, each run rolled back. */
  const bothWays = async (requests: Request[]) => ({
    batched: await rolledBack(db, async (tx) => {
      await rate(tx);
      const row = await queryOne<{ r: unknown[] }>(tx, sql`select market_redeem_many(${JSON.stringify(requests)}::jsonb, ${BENEFITS}::jsonb) as r`);
      return { answers: comparable(row!.r), state: await state(tx) };
    }),
    oneByOne: await rolledBack(db, async (tx) => {
      await rate(tx);
      const answers: unknown[] = [];
      for (const r of requests) {
        const row = await queryOne<{ r: unknown }>(tx, sql`select market_redeem(${JSON.stringify(r)}::jsonb, ${r.now}::timestamptz, ${BENEFITS}::jsonb) as r`);
        answers.push(row!.r);
      }
      return { answers: comparable(answers), state: await state(tx) };
    }),
  });

  /** Which decided the batch: the one query, or the loop (replaced here by one that raises). */
  const pathOf = (requests: Request[]) =>
    rolledBack(db, async (tx) => {
      await rate(tx);
      await tx.execute(sql.raw(`CREATE OR REPLACE FUNCTION market_redeem_many_in_order(reqs jsonb, default_benefits jsonb) RETURNS jsonb
                                LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the loop was asked'; END $$`));
      try {
        await tx.execute(sql`select market_redeem_many(${JSON.stringify(requests)}::jsonb, ${BENEFITS}::jsonb) as r`);
        return 'one query';
      } catch (error) {
        if (!String((error as { cause?: unknown }).cause ?? error).includes('the loop was asked')) throw error;
        return 'in order';
      }
    });

  const outcomes = (answers: Record<string, unknown>[]) =>
    [...new Set(answers.map((a) => (a.refused as string) ?? (a.replayed ? 'replayed' : 'issued')))].sort();

  return { drivers, graded, offers, request, bothWays, pathOf, outcomes };
}

describeEachBackend('market: a batch of redeems answers as the same redeems one by one', (current) => {
  it('refusals of every kind, replays and conflicts inside the batch, stock, limits and funds running out: the same answers and the same state', async () => {
    const db = current().db;
    const { drivers, offers, request, bothWays, pathOf, outcomes } = await scene(db);
    const offerIds = [offers.scarce.id, offers.daily.id, offers.paused.id, offers.gated.id, offers.ended.id, offers.plenty.id, randomUUID()];
    const driverIds = [...drivers.map((d) => d.user.id), randomUUID()]; // the last has no wallet
    const random = seededRandom(7);
    const pick = (n: number) => Math.floor(random() * n);
    const requests: Request[] = [];
    for (let i = 0; i < 60; i++) {
      const earlier = requests[pick(Math.max(requests.length, 1))];
      const roll = pick(10);
      let driverId = driverIds[pick(driverIds.length)]!;
      let offerId = offerIds[pick(offerIds.length)]!;
      let key = `${driverId}:k${i}`;
      if (roll === 0 && earlier) [driverId, offerId, key] = [earlier.driverId!, earlier.offerId!, earlier.requestKey!]; // a retry
      else if (roll === 1 && earlier) [driverId, key] = [earlier.driverId!, earlier.requestKey!]; // the key reused for another offer
      else if (roll === 2) [driverId, offerId, key] = [drivers[0]!.user.id, offers.daily.id, `${drivers[0]!.user.id}:before`]; // a retry of the earlier voucher
      requests.push(request(driverId, offerId, key));
    }
    const { batched, oneByOne } = await bothWays(requests);

    // The mix is what the test is for: every outcome is there, the batch's own limits are reached.
    expect(outcomes(oneByOne.answers)).toEqual(
      [
        'issued', 'replayed', 'no_wallet', 'idempotency_conflict', 'offer_not_found', 'offer_not_active',
        'grade_too_low', 'limit_reached', 'out_of_stock', 'insufficient_funds',
      ].sort(),
    );
    expect(oneByOne.answers.some((a) => a.offerTitle === 'Gated' && !a.refused), 'the AAA driver takes the AA offer').toBe(true);
    expect(batched.answers).toEqual(oneByOne.answers);
    expect(batched.state).toEqual(oneByOne.state);
    expect(await pathOf(requests)).toBe('in order');
  });

  it('a batch in which nobody runs short is decided by one query, reaching limits, stock and points exactly, with the same answers and state', async () => {
    const db = current().db;
    const { drivers, graded, offers, request, bothWays, pathOf, outcomes } = await scene(db);
    const [d0, d1, d2, d3, d4] = drivers.map((d) => d.user.id);
    const aaa = graded.user.id;
    const exactly = [
      request(d1!, offers.scarce.id), request(d2!, offers.scarce.id), request(d1!, offers.scarce.id), request(d2!, offers.scarce.id), // stock 4, limit 2 each
      request(d3!, offers.even.id), request(d3!, offers.even.id), request(d3!, offers.even.id), request(d3!, offers.even.id), // 4 × 25.00 of d3's 100.00
      request(aaa, offers.plenty.id), request(aaa, offers.gated.id), request(aaa, offers.plenty.id), request(aaa, offers.plenty.id), // 3 a week, 10% off
    ];
    const ownRefusals = [
      request(randomUUID(), offers.plenty.id), // no wallet
      request(d4!, randomUUID()), // no such offer
      request(d4!, offers.paused.id),
      request(d4!, offers.ended.id),
      request(d4!, offers.gated.id), // grade B
      { ...request(d0!, offers.daily.id, `${d0}:before`), requestHash: asTheAppHashes(offers.daily.id) }, // the voucher from before, again
      request(d0!, offers.plenty.id, `${d0}:before`), // its key, another offer
    ];
    const requests = [...exactly, ...ownRefusals, request(d4!, offers.daily.id), request(d0!, offers.plenty.id)];
    requests.sort((a, b) => a.now!.localeCompare(b.now!));
    const { batched, oneByOne } = await bothWays(requests);
    expect(outcomes(oneByOne.answers)).toEqual(
      ['issued', 'replayed', 'no_wallet', 'idempotency_conflict', 'offer_not_found', 'offer_not_active', 'grade_too_low'].sort(),
    );
    expect(oneByOne.answers.filter((a) => !a.refused && !a.replayed)).toHaveLength(exactly.length + 2);
    expect(oneByOne.answers.some((a) => a.offerTitle === 'Plenty' && (a.redemption as { price: string }).price === '11.11'), 'the AAA price').toBe(true);
    expect(batched.answers).toEqual(oneByOne.answers);
    expect(batched.state).toEqual(oneByOne.state);
    expect(await pathOf(requests)).toBe('one query');

    // One more of any of them runs short, and so does a key twice: the loop decides, the same way.
    for (const [what, extra] of [
      ['stock', request(d4!, offers.scarce.id)],
      ['points', request(d3!, offers.even.id)],
      ['limit', request(aaa, offers.plenty.id)],
      ['a key twice', { ...request(d4!, offers.plenty.id), requestKey: requests[0]!.requestKey! }],
    ] as const) {
      const more = [...requests, extra];
      expect(await pathOf(more), what).toBe('in order');
      const again = await bothWays(more);
      expect(again.batched.answers, what).toEqual(again.oneByOne.answers);
      expect(again.batched.state, what).toEqual(again.oneByOne.state);
    }
  });
});
