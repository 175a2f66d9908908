// Shared helpers for the market suites (not a test file itself): a scene with a committee
// member, partners with staff, funded drivers and approved offers, all made through the API the
// way a client would, plus snapshots of everything a refused call must leave untouched.

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterEach, expect } from 'vitest';
import { queryOne, type Db, type DbHandle } from '../../db/client';
import { PROGRAMME_ACCOUNTS, walletOf } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { balance, trialBalance, verify } from '../../api/ledger/reads';
import type { Clock } from '../../api/clock';
import { createUser } from '../../api/auth/auth.service';
import { testApp } from '../support/app';

export const DAY = 86_400_000;
export const D = (v: string | number) => new Decimal(v);

/** Points from the programme's issuance account into a driver's wallet. */
export async function fundWallet(db: Db, clock: Clock, walletId: string, amount: string): Promise<void> {
  await createLedger(db, clock, { batching: false }).transfer({
    key: `test-fund:${walletId}:${randomUUID()}`,
    debit: PROGRAMME_ACCOUNTS.issuance,
    credit: walletId,
    amount: D(amount),
    code: 'award',
    reason: 'test funding',
  });
}

export interface OfferInput {
  category?: 'repair' | 'training' | 'inspection' | 'other';
  title?: string;
  description?: string;
  faceValue?: string;
  price?: string;
  stock?: number;
  perDriverLimit?: number;
  limitPeriod?: 'day' | 'week' | 'month' | 'year' | 'ever';
  validFrom?: string | null;
  validTo?: string | null;
  minGrade?: 'AAA' | 'AA' | 'A' | 'B' | null;
  partnerId?: string;
  submit?: boolean;
}

/**
 * A fresh market: a committee member and one garage with a staff member. Sessions last 90 days
 * so that tests can move the clock past a voucher's 30 days and still call the API.
 */
export async function marketScene(handle: DbHandle) {
  const t = testApp(handle, { session: { ttlHours: 24 * 90, cookieSecure: false } });
  const committee = await t.signedIn('committee');

  async function addPartner(input: { name?: string; kind?: 'garage' | 'training_school' | 'inspection_station'; region?: string; address?: string } = {}) {
    const res = await t.call('POST', '/api/partners', {
      token: committee.token,
      body: { name: input.name ?? `顺达汽修 Garage ${randomUUID().slice(0, 6)}`, kind: input.kind ?? 'garage', region: input.region ?? 'Baoan', address: input.address ?? '12 Harbour Road' },
    });
    expect(res.status, res.text).toBe(201);
    const partner = res.json as { id: string; name: string; region: string; settlementAccountId: string };
    const staff = await t.signedIn('partner_staff', { partnerId: partner.id });
    return { ...partner, staff };
  }

  /** A signed-in driver with `points` in their wallet; `name` defaults to `driver <phone>`. */
  async function addDriver(points = '0.00', options: { name?: string; plateNumber?: string } = {}) {
    let driver: { id: string; phone: string; token: string };
    let name: string;
    if (options.name || options.plateNumber) {
      const phone = t.uniquePhone();
      const password = 'a-long-test-password';
      name = options.name ?? `driver ${phone}`;
      const user = await createUser(t.db, { role: 'driver', phone, name, password, plateNumber: options.plateNumber ?? '粤B·T0001' });
      const res = await t.call('POST', '/api/auth/login', { body: { phone, password } });
      expect(res.status, res.text).toBe(200);
      driver = { id: user.id, phone, token: res.json.token };
    } else {
      driver = await t.signedIn('driver');
      name = `driver ${driver.phone}`;
    }
    const wallet = (await walletOf(t.db, driver.id))!;
    if (D(points).greaterThan(0)) await fundWallet(t.db, t.clock, wallet, points);
    return { ...driver, wallet, name };
  }

  const offerBody = (input: OfferInput) => ({
    category: input.category ?? 'repair',
    title: input.title ?? '刹车保养 Brake service',
    description: input.description ?? 'Pads and discs checked, pads replaced if below 3 mm.',
    faceValue: input.faceValue ?? '¥200 off brake service',
    price: input.price ?? '100.00',
    stock: input.stock ?? 10,
    perDriverLimit: input.perDriverLimit ?? 5,
    ...(input.limitPeriod ? { limitPeriod: input.limitPeriod } : {}),
    ...(input.validFrom !== undefined ? { validFrom: input.validFrom } : {}),
    ...(input.validTo !== undefined ? { validTo: input.validTo } : {}),
    ...(input.minGrade !== undefined ? { minGrade: input.minGrade } : {}),
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    ...(input.submit !== undefined ? { submit: input.submit } : {}),
  });

  /** Proposed by the partner's staff (pending approval). */
  async function propose(staffToken: string, input: OfferInput = {}) {
    const res = await t.call('POST', '/api/offers', { token: staffToken, body: offerBody(input) });
    expect(res.status, res.text).toBe(201);
    return res.json;
  }

  async function approve(offerId: string) {
    const res = await t.call('POST', `/api/offers/${offerId}/approve`, { token: committee.token });
    expect(res.status, res.text).toBe(200);
    return res.json;
  }

  /** Proposed by the staff and approved by the committee: active. */
  async function activeOffer(staffToken: string, input: OfferInput = {}) {
    const proposed = await propose(staffToken, input);
    return approve(proposed.id);
  }

  async function patchOffer(token: string, offerId: string, body: Record<string, unknown>) {
    return t.call('PATCH', `/api/offers/${offerId}`, { token, body });
  }

  async function redeem(driverToken: string, offerId: string, key: string = randomUUID()) {
    return t.call('POST', '/api/redemptions', { token: driverToken, headers: { 'idempotency-key': key }, body: { offerId } });
  }

  /** A voucher that must be issued: the 201 body. */
  async function voucher(driverToken: string, offerId: string) {
    const res = await redeem(driverToken, offerId);
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; code: string; status: string; price: string; expiresAt: string; qr: string };
  }

  async function confirm(staffToken: string, code: string, amount?: string) {
    return t.call('POST', '/api/partner/redemptions/confirm', { token: staffToken, body: { code, ...(amount ? { amount } : {}) } });
  }

  async function cancel(driverToken: string, id: string) {
    return t.call('POST', `/api/redemptions/${id}/cancel`, { token: driverToken });
  }

  async function catalog(token: string, query: Record<string, string | number | boolean> = {}) {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const res = await t.call('GET', `/api/offers${qs ? `?${qs}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    return res.json as { items: any[]; nextCursor: string | null };
  }

  async function walletOfDriver(walletId: string) {
    const b = await balance(t.db, walletId);
    return { posted: b.posted.toFixed(2), held: b.held.toFixed(2), available: b.available.toFixed(2) };
  }

  return {
    ...t,
    committee,
    addPartner,
    addDriver,
    propose,
    approve,
    activeOffer,
    patchOffer,
    redeem,
    voucher,
    confirm,
    cancel,
    catalog,
    walletOfDriver,
  };
}

export type MarketScene = Awaited<ReturnType<typeof marketScene>>;

/**
 * Everything a refused redemption must leave as it was: the driver's wallet, the offer's
 * stock, the driver's redemptions, and the whole ledger (postings, transfers, open holds).
 */
export async function marketState(db: Db, walletId: string, offerId: string, driverId: string) {
  const b = await balance(db, walletId);
  const row = await queryOne<Record<string, string>>(
    db,
    sql`select (select stock_left::text from offers where id = ${offerId}) as stock_left,
               (select count(*)::text from redemptions where driver_id = ${driverId}) as redemptions,
               (select count(*)::text from ledger_transfers) as transfers,
               (select count(*)::text from ledger_postings) as postings,
               (select count(*)::text from ledger_open_holds) as open_holds,
               (select count(*)::text from audit_log) as audits`,
  );
  const tb = await trialBalance(db);
  return {
    wallet: { posted: b.posted.toFixed(2), held: b.held.toFixed(2), available: b.available.toFixed(2) },
    stockLeft: Number(row!.stock_left),
    redemptions: Number(row!.redemptions),
    transfers: Number(row!.transfers),
    postings: Number(row!.postings),
    openHolds: Number(row!.open_holds),
    audits: Number(row!.audits),
    trialBalance: tb.total.toFixed(2),
  };
}

/**
 * After every test of the suite (that has not already failed), the ledger is sound: verify()
 * green and the trial balance at zero. Register inside `describeEachBackend`; it runs before the
 * harness closes the database. Expiry is judged by the tests themselves, with their own clocks.
 */
export function ledgerSoundAfterEach(current: () => DbHandle): void {
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') return;
    await expectLedgerSound(current().db, new Date(0));
  });
}

/** verify() green and the trial balance at zero. */
export async function expectLedgerSound(db: Db, now: Date): Promise<void> {
  const v = await verify(db, now);
  expect(v.checks.filter((c) => !c.ok), 'verify() checks that failed').toEqual([]);
  expect(v.ok).toBe(true);
  const tb = await trialBalance(db);
  expect(tb.total.toFixed(2)).toBe('0.00');
  expect(tb.balanced).toBe(true);
}

export async function stockLeft(db: Db, offerId: string): Promise<number> {
  const row = await queryOne<{ n: number }>(db, sql`select stock_left as n from offers where id = ${offerId}`);
  return Number(row!.n);
}

export async function redemptionStatus(db: Db, id: string): Promise<string> {
  const row = await queryOne<{ status: string }>(db, sql`select status from redemptions where id = ${id}`);
  return row!.status;
}

/** The code as the desk types it from the screen: the API shows ABCDE-FGHJK. */
export const bare = (code: string) => code.replace('-', '');

/** A minimal RFC 4180 reader for the statement CSV (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
