// Shared helpers for the market's concurrency suites (not a test file itself). Races call the
// domain functions the routes call (redeem, confirmVoucher, cancelRedemption, expireRedemptions)
// from separate DbHandles, so that every racer has its own server connection. Drivers are
// inserted directly (no password hashing), so a hundred of them cost little.

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { expect } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { users } from '../../db/schema/index';
import type { Clock } from '../../api/clock';
import { AppError } from '../../api/errors';
import type { SessionUser } from '../../api/http/env';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { approveOffer, createOffer } from '../../api/market/offers';
import { createPartner } from '../../api/partners/partners.service';
import type { OfferInput } from './market-support';

let phoneSeq = 0;
const phone = () => `13${String(Date.now() % 1e6).padStart(6, '0')}${String(++phoneSeq % 1000).padStart(3, '0')}`;

async function insertUser(db: Db, role: SessionUser['role'], partnerId: string | null = null): Promise<SessionUser> {
  const p = `${phone()}${randomUUID().slice(0, 4)}`;
  const name = `${role} ${p}`;
  const [row] = await db
    .insert(users)
    .values({ role, phone: p, name, passwordHash: 'not-a-real-hash', partnerId, plateNumber: role === 'driver' ? '粤B·R0001' : null })
    .returning({ id: users.id });
  return { id: row!.id, role, name, phone: p, partnerId };
}

export interface RaceDriver {
  user: SessionUser;
  wallet: string;
}

/** `n` drivers with `points` each. */
export async function raceDrivers(db: Db, clock: Clock, n: number, points: string): Promise<RaceDriver[]> {
  const ledger = createLedger(db, clock, { batching: false });
  const out: RaceDriver[] = [];
  for (let i = 0; i < n; i++) {
    const user = await insertUser(db, 'driver');
    const wallet = await openAccount(db, { kind: 'driver_wallet', ownerId: user.id });
    await ledger.transfer({ key: `race-fund:${wallet}`, debit: PROGRAMME_ACCOUNTS.issuance, credit: wallet, amount: new Decimal(points), code: 'award' });
    out.push({ user, wallet });
  }
  return out;
}

/** A committee member and a partner with one staff member. */
export async function racePartner(db: Db, clock: Clock, committee?: SessionUser) {
  const chair = committee ?? (await insertUser(db, 'committee'));
  const partner = await createPartner(db, chair.id, { name: `Race Garage ${randomUUID().slice(0, 6)}`, kind: 'garage', region: 'Baoan' }, clock.now());
  const staff = await insertUser(db, 'partner_staff', partner.id);
  return { committee: chair, partner, staff };
}

/** An approved, active offer. */
export async function raceOffer(db: Db, clock: Clock, committee: SessionUser, partnerId: string, input: OfferInput = {}) {
  const offer = await createOffer(
    db,
    committee,
    {
      partnerId,
      category: input.category ?? 'repair',
      title: input.title ?? 'Brake service',
      faceValue: input.faceValue ?? '¥200 off brake service',
      price: input.price ?? '100.00',
      stock: input.stock ?? 10,
      perDriverLimit: input.perDriverLimit ?? 1,
      limitPeriod: input.limitPeriod,
    },
    clock.now(),
  );
  await approveOffer(db, committee, offer.id, clock.now());
  return offer;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

/** A domain call's result, with its refusal (an AppError) as a value; anything else rejects. */
export function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      if (error instanceof AppError) return { ok: false as const, code: error.code };
      throw error;
    },
  );
}

export function tallyOutcomes(outcomes: Array<Outcome<unknown>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.ok ? 'ok' : o.code;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** A transaction on its own connection holds the offer's row lock, so redeems pile up behind it. */
export async function closeOfferGate(raw: postgres.Sql, offerId: string) {
  const conn = await raw.reserve();
  await conn`begin`;
  await conn`select 1 from offers where id = ${offerId} for no key update`;
  return {
    async open() {
      await conn`commit`;
      conn.release();
    },
  };
}

/** The market's own books agree with the ledger: one open hold per held redemption, stock adds up. */
export async function expectMarketConsistent(db: Db, offerId: string) {
  const row = await queryOne<Record<string, string>>(
    db,
    sql`select o.stock_total::text as total, o.stock_left::text as left_,
               (select count(*) from redemptions r where r.offer_id = o.id and r.status in ('held', 'confirmed'))::text as out_
          from offers o where o.id = ${offerId}`,
  );
  expect(Number(row!.left_), 'stock left = total − vouchers held or confirmed').toBe(Number(row!.total) - Number(row!.out_));
  const mismatched = await queryRows<{ id: string; status: string; open: boolean }>(
    db,
    sql`select r.id::text, r.status, exists (select 1 from ledger_open_holds h where h.hold_id = r.hold_id) as open
          from redemptions r
         where r.offer_id = ${offerId}
           and (r.status = 'held') <> exists (select 1 from ledger_open_holds h where h.hold_id = r.hold_id)`,
  );
  expect(mismatched, 'a redemption is held exactly when its ledger hold is open').toEqual([]);
  const wrongResolution = await queryRows<{ id: string }>(
    db,
    sql`select r.id::text from redemptions r
          left join ledger_transfers t on t.pending_id = r.hold_id
         where r.offer_id = ${offerId}
           and ((r.status = 'confirmed' and t.type is distinct from 'post_pending')
             or (r.status in ('cancelled', 'rejected', 'expired') and t.type is distinct from 'void_pending'))`,
  );
  expect(wrongResolution, 'confirmed ⇔ hold posted; cancelled, rejected, expired ⇔ hold voided').toEqual([]);
}
