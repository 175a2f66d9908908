// Shared helpers for the safety-record and milestone suites (not a test file itself).

import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { earnings, users } from '../../db/schema/index';
import { walletOf } from '../../api/ledger/accounts';
import { balance } from '../../api/ledger/reads';
import { openAccount } from '../../api/ledger/accounts';

export const DAY = 86_400_000;
/** Every scenario starts here: the driver joins, the clock starts. */
export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const day = (n: number) => new Date(T0.getTime() + n * DAY);

let seq = 0;

/** A driver (inserted directly: no password hashing) who joined at `joined`, with a wallet. */
export async function joinedDriver(db: Db, joined: Date = T0): Promise<{ id: string; wallet: string }> {
  const phone = `136${String(Date.now() % 1e5).padStart(5, '0')}${String(++seq % 1000).padStart(3, '0')}`;
  const [row] = await db
    .insert(users)
    .values({ role: 'driver', phone: `${phone}${randomUUID().slice(0, 4)}`, name: `Driver ${phone}`, plateNumber: '粤B·S0001', passwordHash: 'not-a-real-hash', createdAt: joined })
    .returning({ id: users.id });
  const wallet = await openAccount(db, { kind: 'driver_wallet', ownerId: row!.id });
  return { id: row!.id, wallet };
}

/** Moves a driver's sign-up moment (for drivers made through the app, whose created_at is the real time). */
export async function setJoined(db: Db, driverId: string, joined: Date = T0): Promise<void> {
  await db.update(users).set({ createdAt: joined }).where(eq(users.id, driverId));
}

export async function available(db: Db, driverId: string): Promise<string> {
  return (await balance(db, (await walletOf(db, driverId))!)).available.toFixed(2);
}

/** The driver's safety earnings, oldest milestone first: [source, sourceId, points, activityAt]. */
export async function milestonesOf(db: Db, driverId: string) {
  const rows = await db
    .select()
    .from(earnings)
    .where(sql`${earnings.driverId} = ${driverId} and ${earnings.source} in ('safety_streak', 'safety_challenge')`)
    .orderBy(earnings.activityAt, earnings.source);
  return rows.map((r) => ({ source: r.source, sourceId: r.sourceId, points: r.points.toFixed(2), activityAt: r.activityAt.toISOString(), ruleVersionId: r.ruleVersionId }));
}

export async function safetyEventCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from safety_events`);
  return Number(row!.n);
}

export const d = (v: string | number) => new Decimal(v);

export function violation(driverId: string, occurredAt: Date, externalId = `v-${randomUUID()}`) {
  return { externalId, driverId, kind: 'violation' as const, severity: 'minor' as const, occurredAt };
}
