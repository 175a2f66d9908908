// Races over real HTTP, for one process or several behind a proxy: a scarce offer and a wallet
// that affords only a few vouchers, hit by many redeems at once. Each returns what the clients
// were told and what the database holds, for the caller to assert.

import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import { send } from './load';
import { addDrivers, buildScene, type Actor, type Scene } from './scene';

export interface RaceOutcome {
  requests: number;
  created: number;
  /** Problem codes of the refusals, counted. */
  refusals: Record<string, number>;
  /** Anything that is neither 201 nor a 4xx problem: 5xx, no answer. */
  other: number;
  /** In the database afterwards. */
  redemptions: number;
  stockLeft: number;
}

async function redeemAll(base: string, drivers: Actor[], offerId: string, tag: string) {
  const answers = await Promise.all(drivers.map((d, i) => send(base, d, '/api/redemptions', { offerId }, `race-${tag}-${i}`, 60_000)));
  const refusals: Record<string, number> = {};
  let created = 0;
  let other = 0;
  for (const a of answers) {
    if (a.status === 201) created++;
    else if (a.status >= 400 && a.status < 500) refusals[String(a.answer?.code)] = (refusals[String(a.answer?.code)] ?? 0) + 1;
    else other++;
  }
  return { requests: answers.length, created, refusals, other };
}

async function counts(db: Db, offerId: string) {
  const row = await queryOne<{ n: number; stock: number }>(
    db,
    sql`select (select count(*)::int from redemptions where offer_id = ${offerId}::uuid) as n, (select stock_left from offers where id = ${offerId}::uuid) as stock`,
  );
  return { redemptions: Number(row!.n), stockLeft: Number(row!.stock) };
}

export interface RaceScene {
  scene: Scene;
  /** Stock 5, price 10. */
  scarceOffer: string;
  /** Plenty of stock, price 10: the rich driver can afford 3. */
  plentyOffer: string;
  /** One driver with 30.00 points. */
  threeVoucherDriver: Actor;
}

/** 100 drivers with 100 points each, a scarce offer, and a driver who can afford exactly three vouchers. */
export async function buildRaceScene(db: Db, drivers = 100): Promise<RaceScene> {
  const scene = await buildScene(db, { drivers, funding: '100.00', offers: [{ price: '10.00', stock: 5 }, { price: '10.00', stock: 10_000 }], tag: 51 });
  const [threeVoucherDriver] = await addDrivers(db, 1, '30.00', '52', scene.committee.id);
  return { scene, scarceOffer: scene.offers[0]!.id, plentyOffer: scene.offers[1]!.id, threeVoucherDriver: threeVoucherDriver! };
}

/** Every driver redeems the scarce offer at once. */
export async function stockRace(base: string, db: Db, race: RaceScene): Promise<RaceOutcome> {
  return { ...(await redeemAll(base, race.scene.drivers, race.scarceOffer, 'stock')), ...(await counts(db, race.scarceOffer)) };
}

/** The three-voucher driver redeems `attempts` times at once, each with its own key. */
export async function walletRace(base: string, db: Db, race: RaceScene, attempts = 30): Promise<RaceOutcome> {
  const sameDriver = Array.from({ length: attempts }, () => race.threeVoucherDriver);
  const answered = await redeemAll(base, sameDriver, race.plentyOffer, 'wallet');
  const row = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from redemptions where driver_id = ${race.threeVoucherDriver.id}::uuid`,
  );
  const { stockLeft } = await counts(db, race.plentyOffer);
  return { ...answered, redemptions: Number(row!.n), stockLeft };
}
