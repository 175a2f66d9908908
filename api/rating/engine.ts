import Decimal from 'decimal.js';
import { desc, sql, type SQL } from 'drizzle-orm';
import { queryOne, queryRows, type Db } from '../../db/client';
import { ratingRuns, type Grade } from '../../db/schema/index';
import type { Clock } from '../clock';
import { localDate, PROGRAMME_TIME_ZONE } from '../earning/earn';
import { notifyGradeChanges, type GradeChange } from './notices';
import { parsePolicy, policyInForce, type PolicyVersion, type RatingPolicy } from './policy';
import { scoreOf, type RatingInputs, type Scored } from './score';
import { writeLine } from '../ops/log';

const DAY_MS = 86_400_000;

/**
 * Locks. A full re-grade holds `rating:all` exclusively; a one-driver (or batch) re-grade holds it
 * shared plus each driver's own key. So a full re-grade never overwrites a driver with data older
 * than an incremental re-grade that committed meanwhile, and two re-grades of one driver serialise.
 */
const ALL_KEY = sql`hashtextextended('rating:all', 0)`;
const driverKey = (driverId: string) => sql`hashtextextended(${`rating:${driverId}`}, 0)`;

export type RatingCause = 'activity' | 'refresh' | 'daily' | 'policy' | 'recompute';

/** The start of the rolling window that ends at `asOf`. An event exactly `windowDays` back counts. */
export function windowStart(policy: RatingPolicy, asOf: Date): Date {
  return new Date(asOf.getTime() - policy.windowDays * DAY_MS);
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** One driver, some drivers, or (undefined) everyone. */
export type DriverFilter = string | readonly string[];

/**
 * Per driver: what counts in the window [from, asOf]. Non-voided safety events by severity, the
 * latest violation ever (the streak), approved volunteering hours by activity date (the local
 * calendar dates of `from` and `asOf` included), verified grid reports by when they were
 * verified. With `drivers`, every part is narrowed to them (index lookups); without, it is one
 * pass over each table.
 */
export function inputsSql(from: Date | SQL, asOf: Date, drivers?: DriverFilter): SQL {
  const one = (column: SQL) => {
    if (drivers === undefined) return sql``;
    if (typeof drivers === 'string') return sql`and ${column} = ${drivers}`;
    return sql`and ${column} in (select (jsonb_array_elements_text(${JSON.stringify(drivers)}::jsonb))::uuid)`;
  };
  const start = from instanceof Date ? ts(from) : from;
  return sql`
    select u.id as driver_id,
           coalesce(s.minor, 0)::int as minor_violations,
           coalesce(s.major, 0)::int as major_violations,
           coalesce(s.at_fault, 0)::int as at_fault_accidents,
           coalesce(s.serious, 0)::int as serious_accidents,
           coalesce(v.hours, 0)::numeric(9, 2) as volunteer_hours,
           coalesce(r.reports, 0)::int as verified_reports,
           date_trunc('milliseconds', coalesce(s.last_violation, u.created_at)) as streak_since,
           greatest(0, floor(extract(epoch from (${ts(asOf)} - date_trunc('milliseconds', coalesce(s.last_violation, u.created_at)))) / 86400))::int as streak_days
      from users u
      left join (
        select driver_id,
               count(*) filter (where severity = 'minor' and occurred_at >= ${start}) as minor,
               count(*) filter (where severity = 'major' and occurred_at >= ${start}) as major,
               count(*) filter (where severity = 'at_fault_minor' and occurred_at >= ${start}) as at_fault,
               count(*) filter (where severity = 'serious' and occurred_at >= ${start}) as serious,
               max(occurred_at) filter (where kind = 'violation') as last_violation
          from safety_events
         where voided_at is null and kind <> 'inspection_passed' and occurred_at <= ${ts(asOf)} ${one(sql`driver_id`)}
         group by driver_id
      ) s on s.driver_id = u.id
      left join (
        select driver_id, sum(hours) as hours
          from volunteer_claims
         where status = 'approved'
           and activity_date between (${start} at time zone ${PROGRAMME_TIME_ZONE})::date and (${ts(asOf)} at time zone ${PROGRAMME_TIME_ZONE})::date ${one(sql`driver_id`)}
         group by driver_id
      ) v on v.driver_id = u.id
      left join (
        select driver_id, count(*) as reports
          from grid_reports
         where status in ('verified', 'forwarded', 'resolved', 'closed')
           and verified_at between ${start} and ${ts(asOf)} ${one(sql`driver_id`)}
         group by driver_id
      ) r on r.driver_id = u.id
     where u.role = 'driver' ${one(sql`u.id`)}`;
}

const num = (v: string | number) => sql`${String(v)}::numeric`;

/** SQL for "this grade rule holds" over the columns of `gradedSql`'s inner select. */
function ruleSql(rule: RatingPolicy['grades']['A']): SQL {
  const parts: SQL[] = [sql`score >= ${num(rule.minScore)}`];
  if (rule.maxMinorViolations !== undefined) parts.push(sql`minor_violations <= ${rule.maxMinorViolations}`);
  if (rule.maxMajorViolations !== undefined) parts.push(sql`major_violations <= ${rule.maxMajorViolations}`);
  if (rule.maxAtFaultAccidents !== undefined) parts.push(sql`at_fault_accidents + serious_accidents <= ${rule.maxAtFaultAccidents}`);
  if (rule.maxSeriousAccidents !== undefined) parts.push(sql`serious_accidents <= ${rule.maxSeriousAccidents}`);
  if (rule.minStreakDays !== undefined) parts.push(sql`streak_days >= ${rule.minStreakDays}`);
  return sql.join(parts, sql` and `);
}

/**
 * Every driver's (or some drivers') score and grade under `version`, as of `asOf`: the set-based
 * twin of `scoreOf`. Columns are those of the rating tables (GRADED_COLUMNS).
 */
export function gradedSql(version: Pick<PolicyVersion, 'id' | 'policy'>, asOf: Date, drivers?: DriverFilter): SQL {
  const { policy } = version;
  const { safety, volunteering, reporting, grades } = policy;
  const d = safety.deductions;
  return sql`
    select driver_id, ${version.id}::uuid as policy_version_id,
           case when not (${ruleSql(grades.A)}) then 'B'
                when not (${ruleSql(grades.AA)}) then 'A'
                when not (${ruleSql(grades.AAA)}) then 'AA'
                else 'AAA' end as grade,
           score, safety_points, volunteering_points, reporting_points,
           minor_violations, major_violations, at_fault_accidents, serious_accidents,
           volunteer_hours, verified_reports, streak_since, streak_days, ${ts(asOf)} as rated_at
      from (
        select f.*, safety_points + volunteering_points + reporting_points as score
          from (
            select i.*,
                   round(greatest(0, ${num(safety.weight)} - (minor_violations * ${num(d.minorViolation)} + major_violations * ${num(d.majorViolation)}
                         + at_fault_accidents * ${num(d.atFaultAccident)} + serious_accidents * ${num(d.seriousAccident)})), 2) as safety_points,
                   round(least(volunteer_hours, ${num(volunteering.maxHours)}) * ${num(volunteering.pointsPerHour)}, 2) as volunteering_points,
                   round(least(verified_reports, ${reporting.maxReports}) * ${num(reporting.pointsPerReport)}, 2) as reporting_points
              from (${inputsSql(windowStart(policy, asOf), asOf, drivers)}) i
          ) f
      ) g`;
}

/** The stored columns, in the order `gradedSql` and `valuesSql` produce them. */
const STORED = [
  'grade',
  'score',
  'policy_version_id',
  'safety_points',
  'volunteering_points',
  'reporting_points',
  'minor_violations',
  'major_violations',
  'at_fault_accidents',
  'serious_accidents',
  'volunteer_hours',
  'verified_reports',
  'streak_since',
  'rated_at',
] as const;
/** What decides whether a stored rating changed (not `rated_at`: the same rating later is no change). */
const COMPARED = STORED.filter((c) => c !== 'rated_at');
const HISTORY_WORTHY = ['grade', 'score', 'policy_version_id'] as const;

const cols = (names: readonly string[], prefix = '') => sql.raw(names.map((n) => `${prefix}${n}`).join(', '));

/** One already-scored driver as a one-row source for `applySql` (the incremental path). */
function valuesSql(driverId: string, versionId: string, asOf: Date, i: RatingInputs, s: Scored): SQL {
  return sql`
    select ${driverId}::uuid as driver_id, ${versionId}::uuid as policy_version_id, ${s.grade}::text as grade,
           ${s.score.toFixed(2)}::numeric as score, ${s.safetyPoints.toFixed(2)}::numeric as safety_points,
           ${s.volunteeringPoints.toFixed(2)}::numeric as volunteering_points, ${s.reportingPoints.toFixed(2)}::numeric as reporting_points,
           ${i.minorViolations}::int as minor_violations, ${i.majorViolations}::int as major_violations,
           ${i.atFaultAccidents}::int as at_fault_accidents, ${i.seriousAccidents}::int as serious_accidents,
           ${i.volunteerHours.toFixed(2)}::numeric as volunteer_hours, ${i.verifiedReports}::int as verified_reports,
           ${ts(i.streakSince)} as streak_since, ${i.streakDays}::int as streak_days, ${ts(asOf)} as rated_at`;
}

export interface ApplyResult {
  drivers: number;
  changed: number;
  history: number;
  notices: GradeChange[];
}

/**
 * Writes graded rows, whichever path scored them: a driver whose rating differs from the stored
 * one (or who has none) gets the new current row; a change of grade, score or policy version
 * also gets a history row with the whole breakdown; a change of grade comes back as a notice to
 * send. One statement, however many drivers.
 */
function applySql(source: SQL, cause: RatingCause): SQL {
  return sql`
    with graded as materialized (${source}),
    changed as (
      select g.*, d.driver_id is not null as existed, d.grade as prev_grade, d.score as prev_score, d.policy_version_id as prev_policy
        from graded g
        left join driver_ratings d on d.driver_id = g.driver_id
       where d.driver_id is null
          or (${cols(COMPARED, 'd.')}) is distinct from (${cols(COMPARED, 'g.')})
    ),
    upserted as (
      insert into driver_ratings (driver_id, ${cols(STORED)})
      select driver_id, ${cols(STORED)} from changed
      on conflict (driver_id) do update set ${sql.raw(STORED.map((c) => `${c} = excluded.${c}`).join(', '))}
      returning driver_id
    ),
    history as (
      insert into rating_history (driver_id, ${cols(STORED)}, previous_grade, previous_score, cause)
      select driver_id, ${cols(STORED)}, prev_grade, prev_score, ${cause}::text
        from changed
       where not existed or (${cols(HISTORY_WORTHY)}) is distinct from (prev_grade, prev_score, prev_policy)
      returning id, driver_id, grade, previous_grade, score, policy_version_id
    )
    select (select count(*) from graded)::int as drivers,
           (select count(*) from upserted)::int as changed,
           (select count(*) from history)::int as history,
           coalesce((select json_agg(json_build_object(
                       'historyId', h.id, 'driverId', h.driver_id, 'grade', h.grade, 'previousGrade', h.previous_grade,
                       'score', h.score::text, 'policyVersion', v.version))
                       from history h join rating_policy_versions v on v.id = h.policy_version_id
                      where h.grade <> coalesce(h.previous_grade, 'B')), '[]'::json) as notices`;
}

async function apply(tx: Db, source: SQL, cause: RatingCause, at: Date): Promise<ApplyResult> {
  const row = await queryOne<{ drivers: number; changed: number; history: number; notices: GradeChange[] | string }>(tx, applySql(source, cause));
  const notices = typeof row!.notices === 'string' ? (JSON.parse(row!.notices) as GradeChange[]) : row!.notices;
  await notifyGradeChanges(tx, notices, at);
  return { drivers: Number(row!.drivers), changed: Number(row!.changed), history: Number(row!.history), notices };
}

interface InputsRow extends Record<string, unknown> {
  driver_id: string;
  minor_violations: number;
  major_violations: number;
  at_fault_accidents: number;
  serious_accidents: number;
  volunteer_hours: string;
  verified_reports: number;
  streak_since: string | Date;
  streak_days: number;
}

function toInputs(row: InputsRow): RatingInputs {
  return {
    minorViolations: Number(row.minor_violations),
    majorViolations: Number(row.major_violations),
    atFaultAccidents: Number(row.at_fault_accidents),
    seriousAccidents: Number(row.serious_accidents),
    volunteerHours: new Decimal(String(row.volunteer_hours)),
    verifiedReports: Number(row.verified_reports),
    streakSince: new Date(row.streak_since),
    streakDays: Number(row.streak_days),
  };
}

interface SnapshotRow extends Partial<InputsRow> {
  p_id: string;
  p_version: number;
  p_effective_from: string | Date;
  p_policy: unknown;
  p_note: string | null;
  p_created_by: string | null;
  p_created_at: string | Date;
  s_grade: Grade | null;
  s_score: string | null;
  s_policy: string | null;
  s_safety: string | null;
  s_volunteering: string | null;
  s_reporting: string | null;
  s_minor: number | null;
  s_major: number | null;
  s_at_fault: number | null;
  s_serious: number | null;
  s_hours: string | null;
  s_reports: number | null;
  s_streak_since: string | Date | null;
}

/**
 * Everything one driver's re-grade reads, in one round trip: the policy version in force at
 * `asOf`, the driver's inputs over that version's window, and their stored rating.
 */
function snapshotSql(asOf: Date, driverId: string): SQL {
  const from = sql`(select ${ts(asOf)} - (policy->>'windowDays')::int * interval '86400 seconds' from p)`;
  return sql`
    with p as (
      select * from rating_policy_versions where effective_from <= ${ts(asOf)}
       order by effective_from desc, version desc limit 1
    )
    select p.id as p_id, p.version as p_version, p.effective_from as p_effective_from, p.policy as p_policy,
           p.note as p_note, p.created_by as p_created_by, p.created_at as p_created_at,
           i.*,
           d.grade as s_grade, d.score::text as s_score, d.policy_version_id as s_policy,
           d.safety_points::text as s_safety, d.volunteering_points::text as s_volunteering, d.reporting_points::text as s_reporting,
           d.minor_violations as s_minor, d.major_violations as s_major, d.at_fault_accidents as s_at_fault, d.serious_accidents as s_serious,
           d.volunteer_hours::text as s_hours, d.verified_reports as s_reports, d.streak_since as s_streak_since
      from p
      left join lateral (${inputsSql(from, asOf, driverId)}) i on true
      left join driver_ratings d on d.driver_id = ${driverId}`;
}

/** Whether the stored rating already says exactly this (then there is nothing to write). */
function sameAsStored(row: SnapshotRow, versionId: string, i: RatingInputs, s: Scored): boolean {
  if (row.s_grade === null) return false;
  const eq = (a: string | null, b: Decimal) => a !== null && new Decimal(a).eq(b);
  return (
    row.s_grade === s.grade &&
    row.s_policy === versionId &&
    eq(row.s_score, s.score) &&
    eq(row.s_safety, s.safetyPoints) &&
    eq(row.s_volunteering, s.volunteeringPoints) &&
    eq(row.s_reporting, s.reportingPoints) &&
    row.s_minor === i.minorViolations &&
    row.s_major === i.majorViolations &&
    row.s_at_fault === i.atFaultAccidents &&
    row.s_serious === i.seriousAccidents &&
    eq(row.s_hours, i.volunteerHours) &&
    row.s_reports === i.verifiedReports &&
    row.s_streak_since !== null &&
    new Date(row.s_streak_since).getTime() === i.streakSince.getTime()
  );
}

export interface DriverRegrade {
  driverId: string;
  asOf: Date;
  version: PolicyVersion;
  inputs: RatingInputs;
  scored: Scored;
  changed: boolean;
  gradeChanged: boolean;
}

/**
 * Re-grades one driver now (the incremental path): one read for the policy in force, their
 * inputs (index lookups) and their stored rating; the score in TypeScript (`scoreOf`); and, only
 * when something changed, the same write as the full re-grade. Null when `driverId` is not a driver.
 */
export async function regradeDriver(db: Db, clock: Clock, driverId: string, cause: RatingCause = 'activity'): Promise<DriverRegrade | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${ALL_KEY}), pg_advisory_xact_lock(${driverKey(driverId)})`);
    const asOf = clock.now();
    const row = await queryOne<SnapshotRow>(tx, snapshotSql(asOf, driverId));
    if (!row) throw new Error(`no rating policy is in force at ${asOf.toISOString()} (migration 0004 seeds version 1)`);
    if (!row.driver_id) return null;
    const version: PolicyVersion = {
      id: row.p_id,
      version: Number(row.p_version),
      effectiveFrom: new Date(row.p_effective_from),
      policy: parsePolicy(row.p_id, row.p_policy),
      note: row.p_note,
      createdBy: row.p_created_by,
      createdAt: new Date(row.p_created_at),
    };
    const inputs = toInputs(row as InputsRow);
    const scored = scoreOf(version.policy, inputs);
    if (sameAsStored(row, version.id, inputs, scored)) {
      return { driverId, asOf, version, inputs, scored, changed: false, gradeChanged: false };
    }
    const result = await apply(tx, valuesSql(driverId, version.id, asOf, inputs, scored), cause, asOf);
    return { driverId, asOf, version, inputs, scored, changed: result.changed > 0, gradeChanged: result.notices.length > 0 };
  });
}

export interface FullRegrade {
  asOf: Date;
  policyVersion: number;
  drivers: number;
  changed: number;
  history: number;
  gradeChanges: number;
  millis: number;
}

/**
 * Re-grades every driver as of now in one set-based statement (no per-driver queries), writing
 * only the drivers whose rating changed, and records the run. `skipIfBusy` returns null at once
 * when another process is already re-grading everyone.
 */
export async function regradeAll(
  db: Db,
  clock: Clock,
  options: { cause?: RatingCause; skipIfBusy?: boolean; onlyIfDue?: boolean } = {},
): Promise<FullRegrade | null> {
  const cause = options.cause ?? 'recompute';
  return db.transaction(async (tx) => {
    if (options.skipIfBusy) {
      const got = await queryOne<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${ALL_KEY}) as ok`);
      if (!got?.ok) return null;
    } else {
      await tx.execute(sql`select pg_advisory_xact_lock(${ALL_KEY})`);
    }
    const started = performance.now();
    const asOf = clock.now();
    const version = await policyInForce(tx, asOf);
    if (options.onlyIfDue && !(await dueCause(tx, asOf, version))) return null;
    const result = await apply(tx, gradedSql(version, asOf), cause, asOf);
    const millis = Math.round(performance.now() - started);
    await tx.insert(ratingRuns).values({
      asOf,
      localDate: localDate(asOf),
      policyVersionId: version.id,
      cause,
      drivers: result.drivers,
      changed: result.changed,
      gradeChanges: result.notices.length,
      millis,
    });
    return {
      asOf,
      policyVersion: version.version,
      drivers: result.drivers,
      changed: result.changed,
      history: result.history,
      gradeChanges: result.notices.length,
      millis,
    };
  });
}

/** Why a full re-grade is due (once per programme-local day, and when another policy version took effect), or null. */
async function dueCause(db: Db, asOf: Date, version: PolicyVersion): Promise<RatingCause | null> {
  const [last] = await db.select().from(ratingRuns).orderBy(desc(ratingRuns.asOf)).limit(1);
  if (last && last.policyVersionId !== version.id) return 'policy';
  return !last || last.localDate !== localDate(asOf) ? 'daily' : null;
}

/**
 * The daily job (`rating.regrade`): re-grades everyone whose rating moved since the last run —
 * events leaving the window, streaks reaching a gate, a policy version taking effect. Safe with
 * several processes: one runs it, the others skip; a run already done today is not repeated.
 */
export async function runScheduledRegrade(db: Db, clock: Clock): Promise<FullRegrade | null> {
  const asOf = clock.now();
  const cause = await dueCause(db, asOf, await policyInForce(db, asOf));
  return cause ? regradeAll(db, clock, { cause, skipIfBusy: true, onlyIfDue: true }) : null;
}

/**
 * Re-grades many drivers at once, set-based (bulk paths: an attendance import, a batch of safety
 * events): the same statement as the full re-grade, narrowed to these drivers. Their locks are
 * taken in key order, so overlapping batches cannot deadlock.
 */
export async function regradeDrivers(db: Db, clock: Clock, driverIds: readonly string[], cause: RatingCause = 'activity'): Promise<ApplyResult> {
  const ids = [...new Set(driverIds)];
  if (ids.length === 0) return { drivers: 0, changed: 0, history: 0, notices: [] };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${ALL_KEY})`);
    await tx.execute(
      sql`select pg_advisory_xact_lock(k) from (select hashtextextended('rating:' || d, 0) as k from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) d order by 1) s`,
    );
    const asOf = clock.now();
    return apply(tx, gradedSql(await policyInForce(tx, asOf), asOf, ids), cause, asOf);
  });
}

/** Above this many drivers, an activity hook re-grades everyone in one statement instead. */
const FULL_REGRADE_FROM = 1_000;

/**
 * Re-grades drivers after one of their activities changed state (claim approved, report
 * verified, safety events recorded, appeal upheld). Call it after the change committed. It never
 * throws: a failure is logged and the daily job catches the drivers up.
 */
export async function onDriverActivity(
  db: Db,
  clock: Clock,
  drivers: string | readonly string[],
  log: (line: Record<string, unknown>) => void = writeLine,
): Promise<void> {
  const ids = typeof drivers === 'string' ? [drivers] : [...new Set(drivers)];
  try {
    if (typeof drivers === 'string') await regradeDriver(db, clock, drivers, 'activity');
    // A big bulk change (an attendance import of thousands) is cheaper as one full re-grade than
    // as a set of drivers, and a lock per driver would overrun the lock table.
    else if (ids.length > FULL_REGRADE_FROM) await regradeAll(db, clock, { cause: 'activity' });
    else await regradeDrivers(db, clock, ids, 'activity');
  } catch (error) {
    log({ level: 'warn', msg: 'rating re-grade failed; the daily job will catch up', drivers: ids.length, sample: ids.slice(0, 5), error: String(error).slice(0, 500) });
  }
}

/** Everyone's inputs and grade under a version as of `asOf`, written nowhere (tests, simulation). */
export async function gradeEveryone(db: Db, version: Pick<PolicyVersion, 'id' | 'policy'>, asOf: Date) {
  const rows = await queryRows<InputsRow & { grade: Grade; score: string; safety_points: string; volunteering_points: string; reporting_points: string }>(
    db,
    gradedSql(version, asOf),
  );
  return rows.map((r) => ({
    driverId: r.driver_id,
    inputs: toInputs(r),
    scored: {
      grade: r.grade,
      score: new Decimal(String(r.score)),
      safetyPoints: new Decimal(String(r.safety_points)),
      volunteeringPoints: new Decimal(String(r.volunteering_points)),
      reportingPoints: new Decimal(String(r.reporting_points)),
    } satisfies Scored,
  }));
}

export interface Simulation {
  asOf: Date;
  drivers: number;
  moves: Array<{ from: Grade; to: Grade; drivers: number }>;
}

/** How every driver's grade would come out under `draft` versus the version in force, as of now. */
export async function simulatePolicy(db: Db, current: PolicyVersion, draft: RatingPolicy, asOf: Date): Promise<Simulation> {
  const rows = await queryRows<{ from_grade: Grade; to_grade: Grade; drivers: number }>(
    db,
    sql`with cur as (${gradedSql(current, asOf)}),
             dra as (${gradedSql({ id: current.id, policy: draft }, asOf)})
        select cur.grade as from_grade, dra.grade as to_grade, count(*)::int as drivers
          from cur join dra using (driver_id)
         group by 1, 2`,
  );
  const moves = rows.map((r) => ({ from: r.from_grade, to: r.to_grade, drivers: Number(r.drivers) }));
  return { asOf, drivers: moves.reduce((n, m) => n + m.drivers, 0), moves };
}
