// Background jobs against one database from several processes: the work is prepared in the
// database (vouchers past their date, drivers with safety milestones due, wallets with points
// old enough to expire), the processes start together (each runs every job at start-up), and the
// effects are counted: each must have happened exactly once, however many processes tried.

import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { FakeClock, systemClock } from '../../api/clock';
import { grantAward } from '../../api/earning/awards';
import { dueMilestones } from '../../api/earning/milestones';
import { putSetting } from '../../api/earning/settings';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { redeem } from '../../api/market/redemptions';
import { queryOne, queryRows, type Db } from '../../db/client';
import { addDrivers, buildScene } from './scene';

const DAY = 86_400_000;

export interface JobsWork {
  voucherDrivers: string[];
  expiringDrivers: string[];
  offerId: string;
  stockTotal: number;
  overdueVouchers: number;
  milestonesDue: number;
  /** Points each expiring driver holds, all of it old enough to expire. */
  funding: string;
}

/**
 * Prepares: `vouchers` held vouchers that expired yesterday (drivers paid by awards today, so
 * nothing of theirs expires), and `drivers` drivers who joined 130 days ago (safety milestones
 * due) holding 100.00 points awarded 62 days ago (all of it expires under a 1-month expiry).
 */
export async function prepareJobsWork(db: Db, { vouchers = 40, drivers = 20 } = {}): Promise<JobsWork> {
  const scene = await buildScene(db, { drivers: Math.max(4, Math.ceil(vouchers / 40)), funding: '0', offers: [{ price: '10.00', stock: 1_000 }], tag: 61 });
  const offer = scene.offers[0]!;
  const past = new FakeClock(new Date(Date.now() - 31 * DAY));
  for (const d of scene.drivers) {
    await grantAward(db, systemClock, scene.committee.id, { driverId: d.id, points: new Decimal(400), reason: 'jobs run funding' }, `jobs-fund-${d.id}`);
  }
  for (let i = 0; i < vouchers; i++) {
    const d = scene.drivers[i % scene.drivers.length]!;
    await redeem(db, past, { id: d.id, role: 'driver', name: 'Driver', phone: '', partnerId: null }, offer.id, `jobs-voucher-${i}`);
  }
  const expiring = await addDrivers(db, drivers, '100.00', '62', scene.committee.id, 0, new FakeClock(new Date(Date.now() - 62 * DAY)));
  const ids = expiring.map((d) => d.id);
  await db.execute(sql`update users set created_at = now() - interval '130 days' where id = any(${`{${ids.join(',')}}`}::uuid[])`);
  await putSetting(db, systemClock, scene.committee.id, 'expiry', { months: 1, noticeDays: 30 });
  const due = await dueMilestones(db, new Date(), ids);
  return {
    voucherDrivers: scene.drivers.map((d) => d.id),
    expiringDrivers: ids,
    offerId: offer.id,
    stockTotal: 1_000,
    overdueVouchers: vouchers,
    milestonesDue: due.length,
    funding: '100.00',
  };
}

export interface JobsEffects {
  vouchersExpired: number;
  vouchersStillHeld: number;
  /** Void transfers resolving those vouchers' holds (should equal vouchersExpired). */
  voucherVoids: number;
  stockLeft: number;
  milestoneEarnings: number;
  /** Milestone earnings per (driver, milestone): any above 1 is a double. */
  milestoneDoubles: number;
  milestoneTransfers: number;
  expiryTransfers: number;
  expiredPoints: string;
  /** Expiring drivers whose wallets still hold their old points. */
  walletsNotExpired: number;
}

export async function countJobsEffects(db: Db, work: JobsWork): Promise<JobsEffects> {
  const voucherDrivers = sql`${`{${work.voucherDrivers.join(',')}}`}::uuid[]`;
  const expiring = sql`${`{${work.expiringDrivers.join(',')}}`}::uuid[]`;
  const v = await queryOne<Record<string, string>>(
    db,
    sql`select count(*) filter (where r.status = 'expired')::int as expired,
               count(*) filter (where r.status = 'held')::int as held,
               count(t.id) filter (where t.type = 'void_pending')::int as voids,
               (select stock_left from offers where id = ${work.offerId}::uuid) as stock
          from redemptions r left join ledger_transfers t on t.pending_id = r.hold_id
         where r.driver_id = any(${voucherDrivers})`,
  );
  const m = await queryOne<Record<string, string>>(
    db,
    sql`select count(*)::int as earnings,
               count(*) - count(distinct (source, source_id)) as doubles,
               count(transfer_id)::int as transfers
          from earnings where driver_id = any(${expiring}) and source in ('safety_streak', 'safety_challenge')`,
  );
  const x = await queryRows<{ n: number; points: string | null }>(
    db,
    sql`select count(distinct t.id)::int as n, sum(p.amount)::text as points
          from ledger_transfers t join ledger_postings p on p.transfer_id = t.id and p.account_id = ${PROGRAMME_ACCOUNTS.expired}::uuid
         where t.code = 'expire'`,
  );
  // After expiry a wallet holds exactly its milestone earnings: the funding is gone.
  const w = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from ledger_accounts a
         where a.kind = 'driver_wallet' and a.owner_id = any(${expiring})
           and a.posted <> (select coalesce(sum(points), 0) from earnings e
                             where e.driver_id = a.owner_id and e.source in ('safety_streak', 'safety_challenge'))`,
  );
  return {
    vouchersExpired: Number(v!.expired),
    vouchersStillHeld: Number(v!.held),
    voucherVoids: Number(v!.voids),
    stockLeft: Number(v!.stock),
    milestoneEarnings: Number(m!.earnings),
    milestoneDoubles: Number(m!.doubles),
    milestoneTransfers: Number(m!.transfers),
    expiryTransfers: Number(x[0]?.n ?? 0),
    expiredPoints: new Decimal(x[0]?.points ?? 0).toFixed(2),
    walletsNotExpired: Number(w!.n),
  };
}

/** True once every prepared piece of work shows its effect. */
export function allDone(work: JobsWork, e: JobsEffects): boolean {
  return e.vouchersExpired === work.overdueVouchers && e.milestoneEarnings === work.milestonesDue && e.expiryTransfers === work.expiringDrivers.length;
}
