// PostgreSQL's floor under a redemption, for `npm run bench:market`: how much server CPU the rows a
// redemption writes cost on this machine, with no application at all.
//
// A redemption (market_redeem_many, migration 0014) writes, on the full schema (every index,
// check and ledger trigger): the driver's wallet counters (locked in id order first), the hold
// (a pending transfer, its two legs with the wallet's line numbers, its open-hold row and its
// idempotency record), the redemption with its voucher code, and the offer's stock. Here those
// writes are hand-made SQL, set-based, BATCH redemptions a transaction from one pgbench client
// (C, prepared statements), and nothing is read or decided beyond the rows they need: no grade,
// validity, limit, stock or points check, no earlier voucher looked up for the key, no UUIDv7
// function, no answer built. So the app's PostgreSQL work per redemption can only cost more.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { pgbench } from './measure';

/** Redemptions a floor transaction writes (the app's batches hold at most 64). */
export const FLOOR_BATCH = 64;
/** Every floor redemption's request key starts with this, so the floor's rows can be told apart. */
export const FLOOR_KEY_PREFIX = 'market-floor:';

/**
 * Numbered lookups of the scene's drivers (with their wallets) and active offers (with their
 * partners' settlement accounts), so a pgbench script can pick them by number.
 */
async function numberScene(db: Db): Promise<{ drivers: number; offers: number }> {
  await db.execute(sql`create table floor_drivers (n int primary key, driver_id uuid not null, wallet_id uuid not null)`);
  await db.execute(sql`insert into floor_drivers select row_number() over (order by id), owner_id, id from ledger_accounts where kind = 'driver_wallet'`);
  await db.execute(sql`create table floor_offers (m int primary key, offer_id uuid not null, partner_id uuid not null, settlement_id uuid not null, price numeric(20,2) not null)`);
  await db.execute(sql`
    insert into floor_offers
    select row_number() over (order by o.id), o.id, o.partner_id, s.id, o.price
      from offers o join ledger_accounts s on s.kind = 'partner_settlement' and s.owner_id = o.partner_id
     where o.status = 'active'`);
  await db.execute(sql`analyze floor_drivers`);
  await db.execute(sql`analyze floor_offers`);
  const [n] = await queryRows<{ drivers: number; offers: number }>(
    db,
    sql`select (select count(*) from floor_drivers)::int as drivers, (select count(*) from floor_offers)::int as offers`,
  );
  return n!;
}

/** The pgbench script: BATCH random redeems (driver × offer), derived from one seed so every statement sees the same ones. */
function floorScript(drivers: number, offers: number): string {
  const id = (tag: string) => `(lpad(to_hex(:t0::bigint + g), 16, '0') || substr(md5(:t0::text || '${tag}' || g), 1, 16))::uuid`;
  const r = `r AS (
      SELECT g, d.driver_id, d.wallet_id, o.offer_id, o.partner_id, o.settlement_id, o.price,
             ${id('h')} AS hold_id, ${id('r')} AS rid, upper(to_hex(:t0::bigint + g)) AS code
        FROM generate_series(1, ${FLOOR_BATCH}) g
        JOIN floor_drivers d ON d.n = 1 + (hashint8(:t0::bigint + g)::bigint + 2147483648) % ${drivers}
        JOIN floor_offers o ON o.m = 1 + (hashint8(-(:t0::bigint + g))::bigint + 2147483648) % ${offers})`;
  return [
    'BEGIN;',
    `SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint * ${FLOOR_BATCH} AS t0 \\gset`,
    `WITH ${r} SELECT 1 FROM ledger_accounts WHERE id IN (SELECT wallet_id FROM r) ORDER BY id FOR NO KEY UPDATE;`,
    `WITH ${r} INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, expires_at, created_at)
       SELECT hold_id, 'pending', 'redeem', price, 'floor', driver_id, 'redemption', rid::text, now() + interval '30 days', now() FROM r;`,
    // Pending legs: the wallet's numbered on from its count, in batch order; the settlement account is unbounded.
    `WITH ${r} INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
       SELECT r.hold_id, 0, r.wallet_id, -r.price, true, NULL::numeric, a.entries + row_number() OVER (PARTITION BY r.wallet_id ORDER BY r.g), now()
         FROM r JOIN ledger_accounts a ON a.id = r.wallet_id
       UNION ALL SELECT hold_id, 1, settlement_id, price, true, NULL::numeric, NULL::bigint, now() FROM r;`,
    `WITH ${r} UPDATE ledger_accounts a SET debits_pending = a.debits_pending + s.total, entries = a.entries + s.n
       FROM (SELECT wallet_id, sum(price) AS total, count(*) AS n FROM r GROUP BY wallet_id) s WHERE a.id = s.wallet_id;`,
    `WITH ${r} INSERT INTO ledger_open_holds (hold_id, debit_account_id, expires_at) SELECT hold_id, wallet_id, now() + interval '30 days' FROM r;`,
    `WITH ${r} INSERT INTO ledger_idempotency (key, request_hash, result, created_at)
       SELECT 'redeem:' || rid, 'floor', jsonb_build_object('ok', true, 'transferId', hold_id, 'type', 'pending', 'amount', price::text, 'createdAt', now()), now() FROM r;`,
    `WITH ${r} INSERT INTO redemptions (id, offer_id, driver_id, partner_id, hold_id, code, price, status, request_key, request_hash, expires_at, created_at)
       SELECT rid, offer_id, driver_id, partner_id, hold_id, code, price, 'held', '${FLOOR_KEY_PREFIX}' || rid, 'floor', now() + interval '30 days', now() FROM r;`,
    `WITH ${r} UPDATE offers o SET stock_left = o.stock_left - s.n FROM (SELECT offer_id, count(*) AS n FROM r GROUP BY offer_id) s WHERE o.id = s.offer_id;`,
    'END;',
  ].join('\n');
}

export interface FloorResult {
  /** Redemptions the floor wrote (rows in the database), and per second. */
  redemptions: number;
  perSecond: number;
  /** PostgreSQL CPU per redemption, milliseconds. */
  cpuMs: number;
  seconds: number;
}

/**
 * Writes floor redemptions into the scene's database for `seconds` and measures the server's
 * CPU. The rows are real (a ledger hold and a voucher each), so verify() must still pass after.
 */
export async function redeemFloor(db: Db, url: string, database: string, dir: string, seconds: number, postmasterPid: number): Promise<FloorResult> {
  const scene = await numberScene(db);
  const script = join(dir, 'redeem-floor.sql');
  writeFileSync(script, floorScript(scene.drivers, scene.offers));
  const run = await pgbench(url, database, ['-n', '-c', '1', '-f', script], seconds, postmasterPid);
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from redemptions where request_key like ${`${FLOOR_KEY_PREFIX}%`}`);
  const redemptions = Number(row!.n);
  return { redemptions, perSecond: redemptions / run.seconds, cpuMs: (run.serverCpu / redemptions) * 1e3, seconds: run.seconds };
}
