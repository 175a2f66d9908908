import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Fleet } from '../soak/fleet';
import { crashRun } from '../soak/crash-run';
import { expectCrashProofsHeld } from './crash-proofs';
import { allDone, countJobsEffects, prepareJobsWork, type JobsEffects } from '../soak/jobs-once';
import { buildRaceScene, stockRace, walletRace, type RaceScene } from '../soak/races';
import { freshDatabase, withDb } from '../soak/scene';

const pgUrl = inject('pgUrl');
// CI starts PostgreSQL for the suite; without it these proofs would be skipped unnoticed.
if (!pgUrl && process.env.CI) throw new Error('the multi-process tests need PostgreSQL in CI (TEST_DATABASE_URL)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!pgUrl)('two server processes on one PostgreSQL behind a round-robin proxy', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let fleet: Fleet;
  let race: RaceScene;

  beforeAll(async () => {
    db = await freshDatabase(pgUrl!);
    race = await withDb({ url: db.url }, (d) => buildRaceScene(d));
    fleet = await Fleet.start({ url: db.url }, 2);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await db?.drop();
  });

  it('100 drivers redeeming a stock of 5 at once get exactly 5 vouchers, spread over both processes', async () => {
    const before = new Map(fleet.proxy!.served);
    const outcome = await withDb({ url: db.url }, (d) => stockRace(fleet.base(), d, race));
    expect(outcome).toMatchObject({ requests: 100, created: 5, refusals: { out_of_stock: 95 }, other: 0, redemptions: 5, stockLeft: 0 });
    const served = fleet.servers.map((s) => (fleet.proxy!.served.get(s.base) ?? 0) - (before.get(s.base) ?? 0));
    expect(Math.min(...served)).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it('a wallet good for 3 vouchers, redeemed 30 times at once, pays for exactly 3', async () => {
    const outcome = await withDb({ url: db.url }, (d) => walletRace(fleet.base(), d, race, 30));
    expect(outcome).toMatchObject({ requests: 30, created: 3, refusals: { insufficient_funds: 27 }, other: 0, redemptions: 3 });
  }, 60_000);
});

describe.skipIf(!pgUrl)('two server processes: jobs apply each effect once', () => {
  it('voucher expiry, safety milestones and points expiry, run by both processes at start-up (twice), happen once each', async () => {
    const db = await freshDatabase(pgUrl!);
    let fleet: Fleet | undefined;
    try {
      const work = await withDb({ url: db.url }, (d) => prepareJobsWork(d));
      expect(work.milestonesDue).toBe(work.expiringDrivers.length * 5);
      const effects = async () => withDb({ url: db.url }, (d) => countJobsEffects(d, work));
      fleet = await Fleet.start({ url: db.url }, 2);
      let seen: JobsEffects = await effects();
      for (let i = 0; i < 120 && !allDone(work, seen); i++) {
        await sleep(500);
        seen = await effects();
      }
      // Both processes again, at once: every job runs at start-up; nothing may happen twice.
      await Promise.all([fleet.kill(0), fleet.kill(1)]);
      await Promise.all([fleet.restart(0), fleet.restart(1)]);
      await sleep(3_000);
      const after = await effects();
      const expected: JobsEffects = {
        vouchersExpired: work.overdueVouchers,
        vouchersStillHeld: 0,
        voucherVoids: work.overdueVouchers,
        stockLeft: work.stockTotal,
        milestoneEarnings: work.milestonesDue,
        milestoneDoubles: 0,
        milestoneTransfers: work.milestonesDue,
        expiryTransfers: work.expiringDrivers.length,
        expiredPoints: new Decimal(work.funding).times(work.expiringDrivers.length).toFixed(2),
        walletsNotExpired: 0,
      };
      expect(seen).toEqual(expected);
      expect(after).toEqual(expected);
      expect(fleet.warnings()).toBe(0);
    } finally {
      await fleet?.stop();
      await db.drop();
    }
  }, 180_000);

  it('kill -9 of one of the two under mixed load: the crash proofs hold', async () => {
    const db = await freshDatabase(pgUrl!);
    try {
      const report = await crashRun({ where: { url: db.url }, processes: 2, kills: 2, gapMs: [1500, 3000], workers: 6, drivers: 6 });
      expectCrashProofsHeld(report, 2);
    } finally {
      await db.drop();
    }
  }, 180_000);
});
