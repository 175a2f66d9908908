// The programme the reliability runs drive: a committee member, partners with staff, offers and
// funded drivers, written straight into the database before the server starts, each with a
// session token (so no argon2 logins are needed and the tokens survive server restarts).

import Decimal from 'decimal.js';
import postgres from 'postgres';
import { createUser } from '../../api/auth/auth.service';
import { hashPassword } from '../../api/auth/passwords';
import { grantAward } from '../../api/earning/awards';
import { createSession } from '../../api/auth/sessions';
import { systemClock, type Clock } from '../../api/clock';
import type { SessionUser } from '../../api/http/env';
import { openAccount, PROGRAMME_ACCOUNTS, walletOf } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { approveOffer, createOffer } from '../../api/market/offers';
import { addStaff, createPartner } from '../../api/partners/partners.service';
import { createDb, type Db, type DbHandle } from '../../db/client';
import { users } from '../../db/schema/index';

const PASSWORD = 'reliability-not-secret';
const SESSION_HOURS = 48;

export interface Actor {
  id: string;
  token: string;
}

export interface SceneOffer {
  id: string;
  partnerId: string;
  price: string;
}

export interface Scene {
  committee: Actor;
  /** One staff member per partner, by partner id. */
  staff: Map<string, Actor>;
  drivers: Actor[];
  offers: SceneOffer[];
}

export interface SceneOptions {
  drivers: number;
  /** Points each driver starts with, as an instant award (at most the award maximum, 500.00). */
  funding: string;
  offers: Array<{ price: string; stock: number; perDriverLimit?: number }>;
  /** Distinguishes phone numbers when one database gets more than one scene. */
  tag?: number;
}

const sessionOf = async (db: Db, id: string): Promise<Actor> => ({ id, token: (await createSession(db, id, systemClock.now(), SESSION_HOURS)).token });

export async function buildScene(db: Db, options: SceneOptions): Promise<Scene> {
  const now = systemClock.now();
  const tag = String(options.tag ?? 0).padStart(2, '0');
  const chair = await createUser(db, { role: 'committee', phone: `188${tag}000000`, name: 'Reliability committee', password: PASSWORD });
  const committeeSession: SessionUser = { id: chair.id, role: 'committee', name: 'Reliability committee', phone: `188${tag}000000`, partnerId: null };
  const staff = new Map<string, Actor>();
  const partnerIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const p = await createPartner(db, chair.id, { name: `Reliability partner ${tag}-${i}`, kind: 'garage', region: 'Baoan', address: `${i + 1} Test Road` }, now);
    const member = await addStaff(db, chair.id, p.id, { phone: `187${tag}00000${i}`, name: `Staff ${i}`, password: PASSWORD }, now);
    staff.set(p.id, await sessionOf(db, member.id));
    partnerIds.push(p.id);
  }
  const offers: SceneOffer[] = [];
  for (const [i, o] of options.offers.entries()) {
    const partnerId = partnerIds[i % partnerIds.length]!;
    const created = await createOffer(
      db,
      committeeSession,
      {
        partnerId,
        category: 'repair',
        title: `Reliability offer ${tag}-${i}`,
        description: 'An offer the reliability runs redeem.',
        faceValue: '¥10 off',
        price: o.price,
        stock: o.stock,
        perDriverLimit: o.perDriverLimit ?? 100_000,
        limitPeriod: 'ever',
      },
      now,
    );
    await approveOffer(db, committeeSession, created.id, now);
    offers.push({ id: created.id, partnerId, price: o.price });
  }
  const drivers = await addDrivers(db, options.drivers, options.funding, tag, chair.id);
  return { committee: await sessionOf(db, chair.id), staff, drivers, offers };
}

let sharedHash: Promise<string> | undefined;

/**
 * Drivers with wallets and sessions, `funding` points each: an instant award by `awardedBy`
 * (dated by `fundedBy`, so a past clock makes points old enough to expire), or without one a
 * plain ledger transfer. One password hash serves them all: a hundred argon2 hashes would be the
 * slowest part.
 */
export async function addDrivers(db: Db, n: number, funding: string, tag: string, awardedBy: string | null, from = 0, fundedBy: Clock = systemClock): Promise<Actor[]> {
  sharedHash ??= hashPassword(PASSWORD);
  const passwordHash = await sharedHash;
  const ledger = createLedger(db, systemClock);
  const drivers: Actor[] = [];
  for (let i = from; i < from + n; i++) {
    const id = await db.transaction(async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({ role: 'driver', phone: `189${tag}${String(i).padStart(6, '0')}`, name: `Driver ${tag}-${i}`, plateNumber: `粤B·${tag}${i}`, passwordHash })
        .returning({ id: users.id });
      await openAccount(tx, { kind: 'driver_wallet', ownerId: u!.id });
      return u!.id;
    });
    if (new Decimal(funding).greaterThan(0) && awardedBy) {
      await grantAward(db, fundedBy, awardedBy, { driverId: id, points: new Decimal(funding), reason: 'reliability funding' }, `fund-${id}`);
    } else if (new Decimal(funding).greaterThan(0)) {
      const wallet = (await walletOf(db, id))!;
      await ledger.transfer({ key: `reliability:fund:${id}`, code: 'fund', debit: PROGRAMME_ACCOUNTS.issuance, credit: wallet, amount: new Decimal(funding), reason: 'reliability funding' });
    }
    drivers.push(await sessionOf(db, id));
  }
  return drivers;
}

/** A fresh, migrated database on `adminUrl`'s server; `drop()` removes it. */
export async function freshDatabase(adminUrl: string, name = `milepost_rel_${process.pid}_${Date.now().toString(36)}`) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await c.unsafe(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Opens the database (a URL or a PGlite data directory), migrates it and runs `work` on it. */
export async function withDb<T>(where: { url: string } | { dataDir: string }, work: (db: Db, handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await createDb('url' in where ? { databaseUrl: where.url, maxConnections: 4 } : { dataDir: where.dataDir });
  try {
    await handle.migrate();
    return await work(handle.db, handle);
  } finally {
    await handle.close();
  }
}
