import Decimal from 'decimal.js';
import { sql, type SQL } from 'drizzle-orm';
import { queryOne, queryRows, uuidArray, type Db } from '../../db/client';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { earnMany, type EarnInput, type EarnResult } from './earn';
import { inTransaction } from '../../db/transaction';

/**
 * Safety milestones. A driver's current violation-free streak starts at their latest violation
 * that stands (not voided by an appeal), or when they joined — whichever is later. Rule
 * `safety_streak` pays milestone n when the streak is n × everyDays long; rule
 * `safety_challenge` pays once per streak when it is everyDays long. Each milestone is paid
 * under the rule version in force at the moment it was reached (its `activityAt`), and its
 * sourceId (`driver:streakStart:n`, challenge `driver:streakStart`) makes it payable once.
 */

export type MilestoneRule = 'safety_streak' | 'safety_challenge';

export interface DueMilestone {
  driverId: string;
  rule: MilestoneRule;
  /** Milestone number within the streak (null for the challenge). */
  n: number | null;
  sourceId: string;
  reachedAt: Date;
  /** Whole days the streak had lasted when the milestone was reached. */
  streakDays: number;
}

export interface MilestonePass {
  /** False when another process was already running the daily pass; nothing was done here. */
  ran: boolean;
  /** Unpaid milestones found due. */
  due: number;
  /** Earnings recorded now (one per milestone; a capped or zero payment is still recorded). */
  paid: number;
  /** Due milestones someone else paid between the query and the payment. */
  alreadyPaid: number;
  /** Drivers who got a payment. */
  drivers: number;
  /** Points credited by this pass. */
  points: Decimal;
}

const DAY_S = 86_400;
/** Milestones paid per transaction in the daily pass. */
const PAY_CHUNK = 2_000;
/** Transactions paying at once in the daily pass on PostgreSQL (the job lock holds one more connection). */
const PAY_PARALLEL = 2;
export const MILESTONE_JOB = 'earning.safety-milestones';

/**
 * Every unpaid milestone due at `now`, for all drivers or for `driverIds`: ONE set-based query.
 * Rule versions are cut into intervals [effective_from, next effective_from); milestone n falls
 * in the interval whose everyDays puts it there (the earliest, should versions disagree).
 * Disabled intervals produce nothing: a milestone reached while its rule was off is never due.
 */
export async function dueMilestones(db: Db, now: Date, driverIds?: readonly string[]): Promise<DueMilestone[]> {
  const nowTs = sql`${now.toISOString()}::timestamptz`;
  const onlyEvents: SQL = driverIds ? sql`and driver_id = any(${uuidArray(driverIds)})` : sql``;
  const onlyUsers: SQL = driverIds ? sql`and u.id = any(${uuidArray(driverIds)})` : sql``;
  const rows = await queryRows<{ driver_id: string; rule: MilestoneRule; n: number | null; source_id: string; reached_ms: string; streak_days: number }>(
    db,
    sql`with versions as (
          select rv.id, r.activity, rv.enabled, (rv.terms->>'everyDays')::int as every_days, rv.effective_from as from_at,
                 lead(rv.effective_from) over (partition by rv.rule_id order by rv.effective_from, rv.version) as to_at
            from reward_rule_versions rv
            join reward_rules r on r.id = rv.rule_id
           where r.activity in ('safety_streak', 'safety_challenge')
        ),
        v as (
          select activity, enabled, every_days * ${DAY_S}::numeric as period_s,
                 extract(epoch from from_at) as from_s,
                 extract(epoch from coalesce(to_at, ${nowTs} + interval '1 day')) as to_s
            from versions
           where every_days > 0 and (to_at is null or to_at > from_at)
        ),
        last_violation as (
          select driver_id, max(occurred_at) as at
            from safety_events
           where kind = 'violation' and voided_at is null and occurred_at <= ${nowTs} ${onlyEvents}
           group by driver_id
        ),
        s as (
          select u.id as driver_id, x.start, extract(epoch from x.start) as start_s
            from users u
            left join last_violation lv on lv.driver_id = u.id
            cross join lateral (select greatest(u.created_at, lv.at) as start) x
           where u.role = 'driver' and x.start <= ${nowTs} ${onlyUsers}
        ),
        clock as (select extract(epoch from ${nowTs}) as now_s),
        streak as (
          select distinct on (s.driver_id, k) s.driver_id, s.start, 'safety_streak'::text as rule, k as n, v.enabled,
                 s.start_s + k * v.period_s as reached_s, k * v.period_s as length_s
            from s
            cross join clock
            join v on v.activity = 'safety_streak'
            cross join lateral generate_series(
              greatest(1, ceil((v.from_s - s.start_s) / v.period_s))::int,
              (case when v.to_s <= clock.now_s then ceil((v.to_s - s.start_s) / v.period_s) - 1
                    else floor((clock.now_s - s.start_s) / v.period_s) end)::int
            ) as k
           order by s.driver_id, k, reached_s
        ),
        challenge as (
          select distinct on (s.driver_id) s.driver_id, s.start, 'safety_challenge'::text as rule, null::int as n, v.enabled,
                 s.start_s + v.period_s as reached_s, v.period_s as length_s
            from s
            cross join clock
            join v on v.activity = 'safety_challenge'
           where s.start_s + v.period_s >= v.from_s and s.start_s + v.period_s < v.to_s and s.start_s + v.period_s <= clock.now_s
           order by s.driver_id, reached_s
        ),
        due as (
          select d.*, d.driver_id::text || ':' || to_char(d.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                      || coalesce(':' || d.n::text, '') as source_id
            from (select * from streak union all select * from challenge) d
           where d.enabled
        )
        select due.driver_id, due.rule, due.n, due.source_id,
               floor(due.reached_s * 1000)::bigint::text as reached_ms, floor(due.length_s / ${DAY_S})::int as streak_days
          from due
         where not exists (select 1 from earnings e where e.source = due.rule and e.source_id = due.source_id)
         order by due.driver_id, due.reached_s`,
  );
  return rows.map((r) => ({
    driverId: String(r.driver_id),
    rule: r.rule,
    n: r.n === null || r.n === undefined ? null : Number(r.n),
    sourceId: String(r.source_id),
    reachedAt: new Date(Number(r.reached_ms)),
    streakDays: Number(r.streak_days),
  }));
}

function earnInput(m: DueMilestone): EarnInput {
  return {
    driverId: m.driverId,
    source: m.rule,
    sourceId: m.sourceId,
    activityAt: m.reachedAt,
    units: new Decimal(1),
    reason:
      m.rule === 'safety_streak'
        ? `${m.streakDays} days without a violation (safety milestone ${m.n})`
        : `${m.streakDays}-day zero-violation challenge completed`,
  };
}

/**
 * Pays milestones inside the caller's transaction, one result per input. Inputs are sorted by
 * driver so that concurrent payers take the per-driver earning locks in the same order.
 * Set-based: a chunk's payments cost a handful of statements (`earnMany`).
 */
export async function payMilestones(tx: Db, clock: Clock, due: DueMilestone[]): Promise<EarnResult[]> {
  const inputs = [...due].sort((a, b) => (a.driverId < b.driverId ? -1 : a.driverId > b.driverId ? 1 : 0)).map(earnInput);
  return earnMany(tx, clock, inputs);
}

function tally(pass: MilestonePass, results: EarnResult[], drivers: Set<string>) {
  for (const r of results) {
    if (!r.paid) continue;
    if (r.replayed) {
      pass.alreadyPaid++;
      continue;
    }
    pass.paid++;
    pass.points = pass.points.plus(r.earning.points);
    if (r.earning.points.gt(0)) drivers.add(r.earning.driverId);
  }
}


/**
 * Finds and pays the milestones due now. With `driverIds` (a new safety event): just those
 * drivers, in the caller's transaction when `db` is one. Without (the daily job): every driver,
 * under a cluster-wide lock so that one pass runs at a time however many API processes there
 * are, paid in transactions of about `PAY_CHUNK` milestones (two at a time on PostgreSQL). Either
 * way every milestone is paid at most once.
 */
export async function evaluateMilestones(db: Db, clock: Clock, driverIds?: string[]): Promise<MilestonePass> {
  const pass: MilestonePass = { ran: true, due: 0, paid: 0, alreadyPaid: 0, drivers: 0, points: new Decimal(0) };
  const drivers = new Set<string>();
  if (driverIds) {
    if (driverIds.length === 0) return pass;
    const due = await dueMilestones(db, clock.now(), driverIds);
    pass.due = due.length;
    if (due.length > 0) tally(pass, await inTransaction(db, (tx) => payMilestones(tx, clock, due)), drivers);
    pass.drivers = drivers.size;
    return pass;
  }
  const locked = await withJobLock(db, MILESTONE_JOB, async () => {
    const due = await dueMilestones(db, clock.now());
    pass.due = due.length;
    const chunks = byDriverChunks(due, PAY_CHUNK);
    // Chunks hold disjoint drivers, so on PostgreSQL a couple can be paid side by side.
    let next = 0;
    const worker = async () => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
        const c = chunk;
        try {
          tally(pass, await inTransaction(db, (tx) => payMilestones(tx, clock, c)), drivers);
        } catch (error) {
          next = chunks.length; // the other worker stops after its current chunk
          throw error;
        }
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: reservable(db) ? PAY_PARALLEL : 1 }, worker));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  pass.ran = locked.ran;
  pass.drivers = drivers.size;
  return pass;
}

/** Consecutive slices of about `size` milestones (the list is ordered by driver), never splitting a driver. */
function byDriverChunks(due: DueMilestone[], size: number): DueMilestone[][] {
  const chunks: DueMilestone[][] = [];
  let start = 0;
  while (start < due.length) {
    let end = Math.min(due.length, start + size);
    while (end < due.length && due[end]!.driverId === due[end - 1]!.driverId) end++;
    chunks.push(due.slice(start, end));
    start = end;
  }
  return chunks;
}

type PostgresClient = { reserve: () => Promise<ReservedConnection> };

/** The postgres.js client behind `db`, when it is one (PGlite has a single connection and no `reserve`). */
function reservable(db: Db): PostgresClient | null {
  const client = (db as unknown as { $client?: { reserve?: unknown } }).$client;
  return client && typeof client.reserve === 'function' ? (client as PostgresClient) : null;
}

const heldInProcess = new WeakMap<object, Set<string>>();

/**
 * Runs `work` only if no other holder — in this process or any other process on the same
 * PostgreSQL — runs the job called `name`: a session-level `pg_try_advisory_lock` on a reserved
 * connection, released when the work ends (or when the connection dies with its process).
 * PGlite is one process's embedded database, so an in-process guard is all it needs.
 */
export async function withJobLock(db: Db, name: string, work: () => Promise<void>): Promise<{ ran: boolean }> {
  const client = reservable(db);
  let held = heldInProcess.get(db);
  if (!held) heldInProcess.set(db, (held = new Set()));
  if (held.has(name)) return { ran: false };
  held.add(name);
  try {
    if (!client) {
      await work();
      return { ran: true };
    }
    const conn = await client.reserve();
    try {
      const [row] = await conn.unsafe<Array<{ ok: boolean }>>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [name]);
      if (!row?.ok) return { ran: false };
      try {
        await work();
      } finally {
        await conn.unsafe('select pg_advisory_unlock(hashtextextended($1, 0))', [name]);
      }
      return { ran: true };
    } finally {
      conn.release();
    }
  } finally {
    held.delete(name);
  }
}

interface ReservedConnection {
  unsafe<T = unknown[]>(query: string, params?: unknown[]): Promise<T>;
  release(): void;
}

export interface Streak {
  startedAt: Date;
  /** Whole days since the streak started. */
  days: number;
}

/** A driver's current violation-free streak at `now`. */
export async function currentStreak(db: Db, driverId: string, now: Date): Promise<Streak> {
  const nowTs = sql`${now.toISOString()}::timestamptz`;
  const row = await queryOne<{ start_ms: string }>(
    db,
    sql`select floor(extract(epoch from greatest(u.created_at, (
                  select max(e.occurred_at) from safety_events e
                   where e.driver_id = u.id and e.kind = 'violation' and e.voided_at is null and e.occurred_at <= ${nowTs}))) * 1000)::bigint::text as start_ms
          from users u
         where u.id = ${driverId} and u.role = 'driver'`,
  );
  if (!row) throw new AppError('not_found', `no driver ${driverId}`);
  const startedAt = new Date(Number(row.start_ms));
  return { startedAt, days: Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / (DAY_S * 1000))) };
}
