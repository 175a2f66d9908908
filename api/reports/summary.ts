import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { queryOne, queryRows, type Db } from '../../db/client';
import { grades, offerCategories, type Grade, type OfferCategory } from '../../db/schema/index';
import { localDate, localMidnight, PROGRAMME_TIME_ZONE } from '../earning/earn';
import { AppError } from '../errors';
import { PROGRAMME_ACCOUNTS } from '../ledger/accounts';

export const DEFAULT_REPORT_DAYS = 30;
export const MAX_REPORT_DAYS = 366;

/** Programme days `[from, to)`, as `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/** The period asked for; a missing end is filled in: up to today, and 30 days long. */
export function resolvePeriod(now: Date, asked: { from?: string; to?: string }): Period {
  const to = asked.to ?? addDays(localDate(now), 1);
  const from = asked.from ?? addDays(to, -DEFAULT_REPORT_DAYS);
  const days = daysBetween(from, to);
  if (days <= 0) {
    throw new AppError('invalid_period', '`from` must be before `to`', { fields: [{ path: 'to', message: 'must be after from' }] });
  }
  if (days > MAX_REPORT_DAYS) {
    throw new AppError('invalid_period', `a report covers at most ${MAX_REPORT_DAYS} days`, {
      fields: [{ path: 'to', message: `at most ${MAX_REPORT_DAYS} days after from` }],
    });
  }
  return { from, to };
}

const dec = (v: unknown) => new Decimal(v === null || v === undefined ? 0 : String(v));
const pts = (v: unknown) => dec(v).toFixed(2);
// A constant, inlined: a bound parameter would differ between the select list and GROUP BY.
const tz = sql.raw(`'${PROGRAMME_TIME_ZONE}'`);
const localDay = (column: ReturnType<typeof sql>) => sql`(${column} at time zone ${tz})::date`;

/**
 * Day by day over the period: points issued (the issuance account's net outflow), redeemed
 * (captured by confirmations), expired, and held at each day's end (holds open before the period,
 * plus holds placed, minus holds resolved, running). One statement; every scan is a range over
 * an index on time, except the holds already open when the period starts.
 */
function seriesQuery(period: Period, start: string, end: string) {
  const issuance = PROGRAMME_ACCOUNTS.issuance;
  const expired = PROGRAMME_ACCOUNTS.expired;
  return sql`
    with days as (
      select d::date as day from generate_series(${period.from}::date, ${period.to}::date - 1, interval '1 day') d
    ),
    issued as (
      select ${localDay(sql`p.created_at`)} as day, -sum(p.amount) as points
        from ledger_postings p
       where p.account_id = ${issuance} and not p.pending
         and p.created_at >= ${start}::timestamptz and p.created_at < ${end}::timestamptz
       group by 1
    ),
    expired as (
      select ${localDay(sql`p.created_at`)} as day, sum(p.amount) as points
        from ledger_postings p
       where p.account_id = ${expired} and not p.pending
         and p.created_at >= ${start}::timestamptz and p.created_at < ${end}::timestamptz
       group by 1
    ),
    redeemed as (
      select ${localDay(sql`r.resolved_at`)} as day, sum(coalesce(r.captured, r.price)) as points, count(*) as n
        from redemptions r
       where r.status = 'confirmed' and r.resolved_at >= ${start}::timestamptz and r.resolved_at < ${end}::timestamptz
       group by 1
    ),
    hold_moves as (
      select day, sum(delta) as delta from (
        select ${localDay(sql`h.created_at`)} as day, h.amount as delta
          from ledger_transfers h
         where h.type = 'pending' and h.created_at >= ${start}::timestamptz and h.created_at < ${end}::timestamptz
        union all
        select ${localDay(sql`r.created_at`)}, -h.amount
          from ledger_transfers r
          join ledger_transfers h on h.id = r.pending_id
         where r.type in ('post_pending', 'void_pending')
           and r.created_at >= ${start}::timestamptz and r.created_at < ${end}::timestamptz
      ) m
      group by day
    ),
    opening as (
      select coalesce(sum(h.amount), 0) as held
        from ledger_transfers h
       where h.type = 'pending' and h.created_at < ${start}::timestamptz
         and not exists (select 1 from ledger_transfers r where r.pending_id = h.id and r.created_at < ${start}::timestamptz)
    )
    select to_char(d.day, 'YYYY-MM-DD') as day,
           coalesce(i.points, 0) as issued,
           coalesce(x.points, 0) as expired,
           coalesce(r.points, 0) as redeemed,
           coalesce(r.n, 0) as redemptions,
           (select held from opening) + sum(coalesce(m.delta, 0)) over (order by d.day) as held
      from days d
      left join issued i on i.day = d.day
      left join expired x on x.day = d.day
      left join redeemed r on r.day = d.day
      left join hold_moves m on m.day = d.day
     order by d.day`;
}

/** Confirmed redemptions in the period by category and by partner region; every region listed. */
function breakdownQuery(start: string, end: string) {
  return sql`
    with confirmed as (
      select r.partner_id, r.offer_id, coalesce(r.captured, r.price) as points
        from redemptions r
       where r.status = 'confirmed' and r.resolved_at >= ${start}::timestamptz and r.resolved_at < ${end}::timestamptz
    )
    select 'category' as dimension, o.category as key, count(*) as n, sum(c.points) as points
      from confirmed c join offers o on o.id = c.offer_id
     group by o.category
    union all
    select 'region', p.region, count(c.points), coalesce(sum(c.points), 0)
      from partners p left join confirmed c on c.partner_id = p.id
     group by p.region`;
}

/** Now: open holds, the sum of wallets, and drivers by current grade. */
function currentQuery() {
  return sql`
    select (select coalesce(sum(posted), 0) from ledger_accounts where kind = 'driver_wallet') as outstanding,
           (select coalesce(sum(t.amount), 0) from ledger_open_holds h join ledger_transfers t on t.id = h.hold_id) as held,
           (select count(*) from ledger_open_holds) as open_holds,
           (select json_object_agg(grade, n) from (
              select coalesce(r.grade, 'ungraded') as grade, count(*) as n
                from users u left join driver_ratings r on r.driver_id = u.id
               where u.role = 'driver'
               group by 1) g) as grades`;
}

type SeriesRow = { day: string; issued: string; expired: string; redeemed: string; redemptions: string | number; held: string };
type BreakdownRow = { dimension: 'category' | 'region'; key: string; n: string | number; points: string };
type CurrentRow = { outstanding: string; held: string; open_holds: string | number; grades: Record<string, number> | string | null };

/** The committee's summary of the programme over `period`, with today's held and outstanding points. */
export async function summary(db: Db, period: Period, now: Date) {
  const start = localMidnight(period.from).toISOString();
  const end = localMidnight(period.to).toISOString();
  const series = await queryRows<SeriesRow>(db, seriesQuery(period, start, end));
  const breakdown = await queryRows<BreakdownRow>(db, breakdownQuery(start, end));
  const current = (await queryOne<CurrentRow>(db, currentQuery()))!;

  const total = (pick: (r: SeriesRow) => unknown) => series.reduce((sum, r) => sum.plus(dec(pick(r))), new Decimal(0)).toFixed(2);
  const byCategory = new Map(breakdown.filter((b) => b.dimension === 'category').map((b) => [b.key, b]));
  const gradeCounts = (typeof current.grades === 'string' ? JSON.parse(current.grades) : current.grades ?? {}) as Record<string, number>;

  return {
    from: period.from,
    to: period.to,
    timeZone: PROGRAMME_TIME_ZONE as 'Asia/Shanghai',
    asOf: now.toISOString(),
    issued: total((r) => r.issued),
    redeemed: total((r) => r.redeemed),
    redemptions: series.reduce((n, r) => n + Number(r.redemptions), 0),
    expired: total((r) => r.expired),
    held: pts(current.held),
    openHolds: Number(current.open_holds),
    outstanding: pts(current.outstanding),
    byCategory: offerCategories.map((key: OfferCategory) => {
      const row = byCategory.get(key);
      return { key, redemptions: Number(row?.n ?? 0), points: pts(row?.points) };
    }),
    byRegion: breakdown
      .filter((b) => b.dimension === 'region')
      .map((b) => ({ key: b.key, redemptions: Number(b.n), points: pts(b.points) }))
      .sort((a, b) => new Decimal(b.points).comparedTo(a.points) || b.redemptions - a.redemptions || a.key.localeCompare(b.key)),
    grades: [...grades, 'ungraded' as const].map((grade: Grade | 'ungraded') => ({ grade, drivers: Number(gradeCounts[grade] ?? 0) })),
    series: series.map((r) => ({ date: r.day, issued: pts(r.issued), redeemed: pts(r.redeemed), held: pts(r.held) })),
  };
}
