import Decimal from 'decimal.js';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { notifications } from '../../db/schema/index';
import type { Clock } from '../clock';
import { PROGRAMME_ACCOUNTS } from '../ledger/accounts';
import { applyBatch, type LedgerOp } from '../ledger/ledger';
import { localDate, PROGRAMME_TIME_ZONE } from './earn';
import { getSetting } from './settings';
import { isRetryable } from '../../db/transaction';

/*
 * Points expiry, FIFO without lots. Spending takes the oldest points first, so what a wallet
 * still holds is its most recent earnings. Of a posted balance B, the points earned more than
 * `months` ago are max(0, B − points earned in the last `months` months); those expire. Held
 * points are not touched (the amount is capped by what is available); a later run catches them
 * once the hold is released. "Earned" is every posted credit to the wallet: earnings of every
 * source, and also committee adjustments and reversals that gave points back, which have no
 * `earnings` row but are points the driver received on that day all the same.
 */

/** Posted credits to driver wallets after `cutoff`: what the wallets received, when. */
const creditsAfter = (cutoff: SQL) =>
  sql`select p.account_id, p.amount, p.created_at, p.transfer_id from ledger_postings p
       where p.amount > 0 and not p.pending and p.created_at > ${cutoff}`;

const tz = PROGRAMME_TIME_ZONE;
const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** The moment `months` calendar months (in programme time) before `now`: earlier earnings have expired. */
function cutoffOf(now: Date, months: number): SQL {
  return sql`(((${ts(now)} at time zone ${tz}) - make_interval(months => ${months}::int)) at time zone ${tz})`;
}

/** The ledger idempotency key of a driver's expiry on a local date: at most one per day. */
const expiryKey = (driverId: string, date: string) => `expire:${driverId}:${date}`;
/** The same key, built in SQL from a wallet row (`a`). */
const expiryKeyOfWallet = (date: string) => sql`'expire:' || a.owner_id::text || ':' || ${date}::text`;

export interface ExpiryRun {
  /** The programme-local date this run belongs to (one expiry per driver per date). */
  date: string;
  enabled: boolean;
  drivers: number;
  expired: Decimal;
  notices: number;
  /** Ledger refusals, by driver (not expected; logged by the job). */
  failures: Array<{ driverId: string; code: string }>;
}

/**
 * The daily expiry pass. Safe to run from several processes at once and to re-run: each page of
 * wallets is taken in one transaction that try-locks each driver (an advisory lock another run
 * holds is skipped), locks the wallets in id order, recomputes what expires under those locks
 * and moves it wallet → `expired` through the ledger in one batch, under the idempotency key
 * `expire:<driver>:<local date>`, so a driver expires at most once per day. Then writes the
 * 'points expiring soon' notices.
 */
export async function expirePoints(db: Db, clock: Clock, options: { pageSize?: number } = {}): Promise<ExpiryRun> {
  const now = clock.now();
  const date = localDate(now);
  const { months, noticeDays } = await getSetting(db, 'expiry');
  const run: ExpiryRun = { date, enabled: months !== null, drivers: 0, expired: new Decimal(0), notices: 0, failures: [] };
  if (months === null) return run;
  const cutoff = cutoffOf(now, months);
  const pageSize = options.pageSize ?? 500;

  // Who has anything to expire: one statement over every wallet, then pages of them in id order.
  const due = await queryRows<{ id: string }>(
    db,
    sql`with recent as (
          select c.account_id, sum(c.amount) as earned from (${creditsAfter(cutoff)}) c group by c.account_id
        )
        select a.id::text as id
          from ledger_accounts a
          left join recent r on r.account_id = a.id
         where a.kind = 'driver_wallet'
           and a.posted - coalesce(r.earned, 0) > 0
           and a.posted - a.debits_pending > 0
           and not exists (select 1 from ledger_idempotency k where k.key = ${expiryKeyOfWallet(date)})
         order by a.id`,
  );
  for (let i = 0; i < due.length; i += pageSize) {
    const page = due.slice(i, i + pageSize).map((d) => d.id);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await expirePage(db, now, date, months, page);
        run.drivers += outcome.expired.length;
        run.expired = outcome.expired.reduce((sum, e) => sum.plus(e.amount), run.expired);
        run.failures.push(...outcome.failures);
        break;
      } catch (error) {
        // A deadlock or serialization failure rolled the whole page back: it simply runs again.
        if (!isRetryable(error) || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }
  run.notices = await writeExpiryNotices(db, now, months, noticeDays);
  return run;
}

interface PageOutcome {
  expired: Array<{ driverId: string; amount: Decimal }>;
  failures: ExpiryRun['failures'];
}

async function expirePage(db: Db, now: Date, date: string, months: number, walletIds: string[]): Promise<PageOutcome> {
  const ids = JSON.stringify(walletIds);
  const cutoff = cutoffOf(now, months);
  const none: PageOutcome = { expired: [], failures: [] };
  return db.transaction(async (tx) => {
    // The page is materialised first so that the try-lock runs for this page's drivers only (a
    // lock qual pushed down to a scan of every wallet would lock other runs out of theirs).
    const claimed = await queryRows<{ id: string }>(
      tx,
      sql`with page as materialized (
            select a.id, a.owner_id from ledger_accounts a
             where a.id in (select x::uuid from jsonb_array_elements_text(${ids}::jsonb) x)
          )
          select id::text as id from page
           where pg_try_advisory_xact_lock(hashtextextended('expire:' || owner_id::text, 0))`,
    );
    if (claimed.length === 0) return none;
    const locked = await queryRows<{ id: string }>(
      tx,
      sql`select id::text as id from ledger_accounts
           where id in (select x::uuid from jsonb_array_elements_text(${JSON.stringify(claimed.map((c) => c.id))}::jsonb) x)
           order by id
           for no key update`,
    );
    // Recomputed under the locks: a spend or an earning since the listing changes the amount.
    const due = await queryRows<{ wallet: string; driver_id: string; amount: string }>(
      tx,
      sql`select a.id::text as wallet, a.owner_id::text as driver_id,
                 least(a.posted - coalesce(r.earned, 0), a.posted - a.debits_pending)::text as amount
            from ledger_accounts a
            left join lateral (
              select sum(p.amount) as earned from ledger_postings p
               where p.account_id = a.id and p.amount > 0 and not p.pending and p.created_at > ${cutoff}
            ) r on true
           where a.id in (select x::uuid from jsonb_array_elements_text(${JSON.stringify(locked.map((l) => l.id))}::jsonb) x)
             and least(a.posted - coalesce(r.earned, 0), a.posted - a.debits_pending) > 0
             and not exists (select 1 from ledger_idempotency k where k.key = ${expiryKeyOfWallet(date)})
           order by a.id`,
    );
    if (due.length === 0) return none;
    const ops: LedgerOp[] = due.map((d) => ({
      op: 'transfer',
      key: expiryKey(d.driver_id, date),
      code: 'expire',
      debit: d.wallet,
      credit: PROGRAMME_ACCOUNTS.expired,
      amount: new Decimal(d.amount),
      reason: `points earned more than ${months} months ago expired`,
      refType: 'driver',
      refId: d.driver_id,
    }));
    const outcomes = await applyBatch(tx, ops, now);
    const { expired, failures }: PageOutcome = { expired: [], failures: [] };
    outcomes.forEach((o, i) => {
      const d = due[i]!;
      if (o.ok && !o.replayed) expired.push({ driverId: d.driver_id, amount: o.amount });
      else if (!o.ok && o.code !== 'idempotency_conflict') failures.push({ driverId: d.driver_id, code: o.code });
    });
    if (expired.length === 0) return { expired, failures };
    await tx
      .insert(notifications)
      .values(
        expired.map((e) => ({
          userId: e.driverId,
          kind: 'points_expired',
          title: `${e.amount.toFixed(2)} points expired`,
          body: `${e.amount.toFixed(2)} points earned more than ${months} months ago have expired. Points are used oldest first, so newer points stay yours for longer.`,
          data: { points: e.amount.toFixed(2), date },
          dedupeKey: `points-expired:${e.driverId}:${date}`,
          createdAt: now,
        })),
      )
      .onConflictDoNothing({ target: notifications.dedupeKey });
    return { expired, failures };
  });
}

/**
 * What a wallet's points expire on, by programme-local date: each earning still in the balance
 * (FIFO: the newest earnings are what remains) expires `months` after it was earned; anything
 * older than that is due today. One statement for one driver or for all of them.
 */
function scheduleQuery(now: Date, months: number, filter: { driverId?: string; earnedUntil?: SQL }): SQL {
  const cutoff = cutoffOf(now, months);
  const today = localDate(now);
  const wallets = filter.driverId
    ? sql`a.owner_id = ${filter.driverId}::uuid`
    : sql`a.id in (select c.account_id from (${creditsAfter(cutoff)}) c where c.created_at <= ${filter.earnedUntil ?? sql`'infinity'::timestamptz`})`;
  return sql`
    with w as (
      select a.id as wallet, a.owner_id as driver_id, a.posted from ledger_accounts a
       where a.kind = 'driver_wallet' and a.posted > 0 and ${wallets}
    ),
    e as (
      select w.driver_id, c.amount as points,
             ((c.created_at at time zone ${tz}) + make_interval(months => ${months}::int))::date as expires_on,
             coalesce(sum(c.amount) over (partition by c.account_id order by c.created_at desc, c.transfer_id desc
                                          rows between unbounded preceding and 1 preceding), 0) as newer
        from (${creditsAfter(cutoff)}) c join w on w.wallet = c.account_id
    ),
    alloc as (
      select e.driver_id, e.expires_on, least(e.points, greatest(w.posted - e.newer, 0)) as amount
        from e join w on w.driver_id = e.driver_id
      union all
      select w.driver_id, ${today}::date, w.posted - coalesce((select sum(x.points) from e x where x.driver_id = w.driver_id), 0)
        from w
    )
    select driver_id, expires_on, sum(amount) as amount from alloc where amount > 0 group by driver_id, expires_on`;
}

/** One notice per driver and expiry date, written the first run within `noticeDays` of it. */
async function writeExpiryNotices(db: Db, now: Date, months: number, noticeDays: number): Promise<number> {
  const today = localDate(now);
  // Only drivers with an earning that reaches its expiry within the notice window are looked at.
  const earnedUntil = sql`(((${ts(now)} at time zone ${tz}) + make_interval(days => ${noticeDays + 1}::int) - make_interval(months => ${months}::int)) at time zone ${tz})`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into notifications (user_id, kind, title, body, data, dedupe_key, created_at)
        select s.driver_id, 'points_expiring',
               s.amount::numeric(20,2)::text || ' points expire on ' || s.expires_on::text,
               s.amount::numeric(20,2)::text || ' of your points expire on ' || s.expires_on::text
                 || '. Spend them in the points mall before then; points are used oldest first.',
               jsonb_build_object('points', s.amount::numeric(20,2)::text, 'expiresOn', s.expires_on::text),
               'points-expiring:' || s.driver_id::text || ':' || s.expires_on::text,
               ${ts(now)}
          from (${scheduleQuery(now, months, { earnedUntil })}) s
         where s.expires_on > ${today}::date and s.expires_on <= ${today}::date + ${noticeDays}::int
        on conflict (dedupe_key) do nothing
        returning id::text as id`,
  );
  return rows.length;
}

export interface ExpiryOutlook {
  enabled: boolean;
  months: number | null;
  noticeDays: number;
  /** The soonest expiry, if any points will expire. */
  next: { date: string; points: Decimal } | null;
  /** The next few dates with their amounts, soonest first. */
  schedule: Array<{ date: string; points: Decimal }>;
  /** Everything that will expire if nothing is spent, over all dates. */
  total: Decimal;
}

/** What the driver's points expire on, soonest first (the first `dates` dates). */
export async function expiryOutlook(db: Db, clock: Clock, driverId: string, dates = 6): Promise<ExpiryOutlook> {
  const { months, noticeDays } = await getSetting(db, 'expiry');
  if (months === null) return { enabled: false, months, noticeDays, next: null, schedule: [], total: new Decimal(0) };
  const rows = await queryRows<{ expires_on: string; amount: string }>(
    db,
    sql`select expires_on::text as expires_on, amount::text as amount
          from (${scheduleQuery(clock.now(), months, { driverId })}) s order by s.expires_on`,
  );
  const all = rows.map((r) => ({ date: r.expires_on, points: new Decimal(r.amount) }));
  const schedule = all.slice(0, dates);
  return {
    enabled: true,
    months,
    noticeDays,
    next: schedule[0] ?? null,
    schedule,
    total: all.reduce((sum, r) => sum.plus(r.points), new Decimal(0)),
  };
}
