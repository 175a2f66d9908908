import Decimal from 'decimal.js';
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import {
  rewardRules,
  rewardRuleVersions,
  ruleActivities,
  users,
  type Grade,
  type GridCategory,
  type RuleActivity,
} from '../../db/schema/index';
import { AppError } from '../errors';
import { currentGrades } from '../rating/benefits';
import { localDate, localMidnight } from './earn';
import { assertTermsFit } from './rules';
import { capPeriods, paymentFor, RuleTerms, type CapPeriod, type Payment } from './terms';

export const MAX_SIMULATION_DAYS = 366;
const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const DAY_MS = 86_400_000;

export type DraftRules = Partial<Record<RuleActivity, RuleTerms>>;

export interface SimulationInput {
  draft: DraftRules;
  from: Date;
  to: Date;
  /** How many drivers to list whose pay changes most. */
  top: number;
}

interface Comparison {
  actualPoints: Decimal;
  simulatedPoints: Decimal;
}

export interface SimulationResult {
  from: Date;
  to: Date;
  totals: Comparison & { activities: number; drivers: number; driversPaidActual: number; driversPaidSimulated: number };
  byActivity: Array<Comparison & { activity: RuleActivity; termsFrom: 'draft' | 'in_force'; activities: number; drivers: number }>;
  topChanges: Array<Comparison & { driverId: string; name: string; plateNumber: string | null }>;
}

/** One thing a driver did that a rule pays for, with what it was actually paid. */
interface Activity {
  type: RuleActivity;
  id: string;
  driverId: string;
  /** When it happened (epoch ms): picks the rule version and the cap periods. */
  at: number;
  /** Inside the requested period (the rest only fills the caps of the periods it overlaps). */
  inPeriod: boolean;
  units: Decimal;
  category: GridCategory | null;
  /** The earning actually made for it, if any. */
  paid: { points: Decimal; grade: Grade | null; at: number } | null;
}

interface Version {
  effectiveFrom: number;
  version: number;
  enabled: boolean;
  terms: RuleTerms;
}

/**
 * What a draft rule set would have paid for the activity of a past period, next to what was
 * actually paid. Reads only (in a read-only transaction): one query per activity type, then
 * everything in memory, in the order the activities happened, so caps fill as they did.
 *
 * Caps count per driver per calendar day / week / month in the programme's time zone, as
 * `earn()` does. Activities from the start of the calendar month (and week) containing `from`
 * are priced too, only to fill those caps; they are not reported. Grade multipliers use the
 * grade each earning recorded (the grade `earn()` applied when it paid), and the driver's
 * current grade for activities that were never paid.
 */
export async function simulate(db: Db, input: SimulationInput): Promise<SimulationResult> {
  checkPeriod(input.from, input.to);
  for (const [activity, terms] of Object.entries(input.draft)) {
    if (terms) assertTermsFit(activity as RuleActivity, terms, `rules.${activity}`);
  }
  return db.transaction(
    async (tx) => {
      const loadFrom = capWindowStart(input.from);
      const [versions, activities] = await Promise.all([versionsByActivity(tx), loadActivities(tx, loadFrom, input.from, input.to)]);
      activities.sort(
        (a, b) =>
          a.at - b.at ||
          (a.paid?.at ?? Number.MAX_SAFE_INTEGER) - (b.paid?.at ?? Number.MAX_SAFE_INTEGER) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      const grades = await gradesOfUnpaid(tx, activities);
      const priced = price(activities, input.draft, versions, grades);
      return summarise(tx, input, priced);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function checkPeriod(from: Date, to: Date) {
  if (from.getTime() < 0) {
    throw new AppError('invalid_period', 'a simulation starts in 1970 or later', { fields: [{ path: 'from', message: 'on or after 1970-01-01' }] });
  }
  if (from.getTime() >= to.getTime()) {
    throw new AppError('invalid_period', '`from` must be before `to`', { fields: [{ path: 'to', message: 'must be after from' }] });
  }
  if (to.getTime() - from.getTime() > MAX_SIMULATION_DAYS * DAY_MS) {
    throw new AppError('invalid_period', `a simulation covers at most ${MAX_SIMULATION_DAYS} days`, {
      fields: [{ path: 'to', message: `at most ${MAX_SIMULATION_DAYS} days after from` }],
    });
  }
}

// --- local calendar periods -------------------------------------------------------------

/** A moment's calendar day, week (from Monday, as PostgreSQL's date_trunc) and month in the programme's time zone, as numbers. */
interface LocalPeriods {
  day: number;
  week: number;
  month: number;
}

const QUARTER_HOUR = 15 * 60_000;
const periodCache = new Map<number, LocalPeriods>();

/**
 * `localDate` for many moments: every real zone offset is a whole number of quarter hours, so
 * all moments in one UTC quarter hour share a local date.
 */
function localPeriods(at: number): LocalPeriods {
  const bucket = Math.floor(at / QUARTER_HOUR);
  let periods = periodCache.get(bucket);
  if (!periods) {
    const date = localDate(new Date(bucket * QUARTER_HOUR));
    const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
    // day 0, 1970-01-01, was a Thursday: weeks counted from Monday 1969-12-29
    periods = { day, week: Math.floor((day + 3) / 7), month: Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 };
    if (periodCache.size > 200_000) periodCache.clear();
    periodCache.set(bucket, periods);
  }
  return periods;
}

const midnightCache = new Map<string, number>();

/** `localMidnight` for many dates. */
function midnightOf(date: string): number {
  let at = midnightCache.get(date);
  if (at === undefined) {
    at = localMidnight(date).getTime();
    if (midnightCache.size > 10_000) midnightCache.clear();
    midnightCache.set(date, at);
  }
  return at;
}

/**
 * Activities earlier than `from` count against the caps of the periods `from` falls in: load
 * from the start of the month that holds the Monday of `from`'s week.
 */
function capWindowStart(from: Date): Date {
  const date = localDate(from);
  const day = Date.parse(`${date}T00:00:00Z`);
  const monday = new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 7);
  const start = localMidnight(`${monday}-01`);
  return start < from ? start : from;
}

// --- loading ------------------------------------------------------------------------------

async function versionsByActivity(db: Db): Promise<Map<RuleActivity, Version[]>> {
  const rows = await db
    .select({
      activity: rewardRules.activity,
      version: rewardRuleVersions.version,
      effectiveFrom: rewardRuleVersions.effectiveFrom,
      enabled: rewardRuleVersions.enabled,
      terms: rewardRuleVersions.terms,
    })
    .from(rewardRuleVersions)
    .innerJoin(rewardRules, eq(rewardRules.id, rewardRuleVersions.ruleId));
  const map = new Map<RuleActivity, Version[]>();
  for (const r of rows) {
    const list = map.get(r.activity) ?? [];
    list.push({ effectiveFrom: r.effectiveFrom.getTime(), version: r.version, enabled: r.enabled, terms: RuleTerms.parse(r.terms) });
    map.set(r.activity, list);
  }
  // newest effective moment first, the newer version winning a tie (as ruleVersionAt)
  for (const list of map.values()) list.sort((a, b) => b.effectiveFrom - a.effectiveFrom || b.version - a.version);
  return map;
}

const SEP = '\x1f';

/** The earning an activity was paid by, as text fields (all empty when it was not paid): points, grade, paid at, activity at (ms). */
const earningFields = sql`coalesce(e.points::text, ''), coalesce(e.grade, ''),
  coalesce(floor(extract(epoch from e.created_at) * 1000)::bigint::text, ''),
  coalesce(floor(extract(epoch from e.activity_at) * 1000)::bigint::text, '')`;

/**
 * Each row as one text, its fields joined by U+001F. PGlite pays for every column of every
 * row it hands over; one column per row loads tens of thousands of rows about three times faster.
 */
async function packedRows(db: Db, fields: SQL, rest: SQL): Promise<string[][]> {
  const rows = await queryRows<{ r: string }>(db, sql`select concat_ws(${SEP}, ${fields}) as r ${rest}`);
  return rows.map((row) => row.r.split(SEP));
}

function paidOf(points: string, grade: string, paidAt: string): Activity['paid'] {
  return points ? { points: new Decimal(points), grade: (grade || null) as Grade | null, at: Number(paidAt) } : null;
}

/**
 * The period's activities, one query per type: approved volunteering by activity date (units
 * = hours), verified grid reports by filing time (one unit, with its category), and the safety
 * milestones already paid (their units as requested). Each joined to the earning it was paid by.
 */
async function loadActivities(db: Db, loadFrom: Date, from: Date, to: Date): Promise<Activity[]> {
  const [start, fromMs, end] = [loadFrom.getTime(), from.getTime(), to.getTime()];
  const [claims, reports, milestones] = await Promise.all([
    packedRows(
      db,
      sql`c.id, c.driver_id, c.activity_date, c.hours, ${earningFields}`,
      sql`from volunteer_claims c
          left join earnings e on e.source = 'volunteering' and e.source_id = c.id::text
          where c.status = 'approved' and c.activity_date between ${localDate(loadFrom)} and ${localDate(to)}`,
    ),
    packedRows(
      db,
      sql`r.id, r.driver_id, floor(extract(epoch from r.created_at) * 1000)::bigint, r.category, ${earningFields}`,
      sql`from grid_reports r
          left join earnings e on e.source = 'grid_report' and e.source_id = r.id::text
          where r.status in ('verified', 'forwarded', 'resolved', 'closed')
            and r.created_at >= ${loadFrom.toISOString()}::timestamptz and r.created_at < ${to.toISOString()}::timestamptz`,
    ),
    // the milestone's id (free text) goes last, so that whatever it holds cannot shift a field
    packedRows(
      db,
      sql`e.driver_id, e.source, e.requested_units, ${earningFields}, e.source_id`,
      sql`from earnings e
          where e.source in ('safety_streak', 'safety_challenge')
            and e.activity_at >= ${loadFrom.toISOString()}::timestamptz and e.activity_at < ${to.toISOString()}::timestamptz`,
    ),
  ]);

  const activities: Activity[] = [];
  for (const [id, driverId, date, hours, points, grade, paidAt, paidActivityAt] of claims) {
    const day = midnightOf(date!);
    if (day < start || day >= end) continue;
    activities.push({
      type: 'volunteering',
      id: id!,
      driverId: driverId!,
      // the moment the payment counted it at, when it was paid
      at: paidActivityAt ? Number(paidActivityAt) : day,
      inPeriod: day >= fromMs,
      units: new Decimal(hours!),
      category: null,
      paid: paidOf(points!, grade!, paidAt!),
    });
  }
  for (const [id, driverId, createdAt, category, points, grade, paidAt, paidActivityAt] of reports) {
    activities.push({
      type: 'grid_report',
      id: id!,
      driverId: driverId!,
      at: Number(paidActivityAt || createdAt),
      inPeriod: Number(createdAt) >= fromMs,
      units: ONE,
      category: category as GridCategory,
      paid: paidOf(points!, grade!, paidAt!),
    });
  }
  for (const [driverId, source, units, points, grade, paidAt, activityAt, ...id] of milestones) {
    activities.push({
      type: source as RuleActivity,
      id: id.join(SEP),
      driverId: driverId!,
      at: Number(activityAt),
      inPeriod: Number(activityAt) >= fromMs,
      units: new Decimal(units!),
      category: null,
      paid: paidOf(points!, grade!, paidAt!),
    });
  }
  return activities;
}

/**
 * Current grades of drivers with activities that were never paid (paid ones carry the grade
 * they were paid at), in one query; it also loads the benefits of the rating policy in force.
 */
async function gradesOfUnpaid(db: Db, activities: Activity[]): Promise<Map<string, Grade | null>> {
  const unpaid = new Set<string>();
  for (const a of activities) if (!a.paid) unpaid.add(a.driverId);
  return currentGrades(db, [...unpaid]);
}

// --- pricing ------------------------------------------------------------------------------

interface Priced {
  activity: Activity;
  actual: Decimal;
  simulated: Decimal;
}

function termsAt(versions: Version[] | undefined, at: number): RuleTerms | null {
  const version = versions?.find((v) => v.effectiveFrom <= at);
  return version?.enabled ? version.terms : null;
}

const uncapped = (terms: RuleTerms) => !terms.caps || Object.values(terms.caps).every((cap) => cap === undefined);

const payments = new WeakMap<RuleTerms, Map<string, Payment>>();

/** Without caps a payment depends only on the units, grade and category: most activities repeat one. */
function memo(terms: RuleTerms, key: string, pay: () => Payment): Payment {
  let known = payments.get(terms);
  if (!known) payments.set(terms, (known = new Map()));
  let payment = known.get(key);
  if (!payment) known.set(key, (payment = pay()));
  return payment;
}

/** Units a driver was paid for one activity type in the current day, week and month. */
interface CapUsage extends LocalPeriods {
  used: Record<CapPeriod, Decimal>;
}

/**
 * Prices every activity in the order they happened, filling each driver's caps as it goes.
 * Since time only moves forward, a driver's usage per activity type is kept for the current
 * day, week and month only, and starts again at zero when the period changes.
 */
function price(activities: Activity[], draft: DraftRules, versions: Map<RuleActivity, Version[]>, grades: Map<string, Grade | null>): Priced[] {
  const usage = new Map<string, CapUsage>();
  const priced: Priced[] = [];
  for (const a of activities) {
    const terms = draft[a.type] ?? termsAt(versions.get(a.type), a.at);
    let simulated = ZERO;
    if (terms) {
      const periods = localPeriods(a.at);
      const key = a.type + a.driverId;
      let u = usage.get(key);
      if (!u) {
        u = { ...periods, used: { day: ZERO, week: ZERO, month: ZERO } };
        usage.set(key, u);
      }
      for (const period of capPeriods) {
        if (u[period] !== periods[period]) {
          u[period] = periods[period];
          u.used[period] = ZERO;
        }
      }
      const grade = a.paid ? a.paid.grade : (grades.get(a.driverId) ?? null);
      const payment = uncapped(terms)
        ? memo(terms, `${a.units.toString()}|${grade}|${a.category}`, () => paymentFor(terms, { requested: a.units, used: {}, grade, category: a.category }))
        : paymentFor(terms, { requested: a.units, used: u.used, grade, category: a.category });
      simulated = payment.points;
      if (!payment.units.isZero()) {
        for (const period of capPeriods) u.used[period] = u.used[period].plus(payment.units);
      }
    }
    if (a.inPeriod) priced.push({ activity: a, actual: a.paid?.points ?? ZERO, simulated });
  }
  return priced;
}

// --- summary ------------------------------------------------------------------------------

async function summarise(db: Db, input: SimulationInput, priced: Priced[]): Promise<SimulationResult> {
  const zero = () => ({ actual: new Decimal(0), simulated: new Decimal(0), activities: 0, drivers: new Set<string>() });
  const byType = new Map(ruleActivities.map((t) => [t, zero()]));
  const byDriver = new Map<string, { actual: Decimal; simulated: Decimal }>();
  for (const p of priced) {
    const t = byType.get(p.activity.type)!;
    t.actual = t.actual.plus(p.actual);
    t.simulated = t.simulated.plus(p.simulated);
    t.activities += 1;
    t.drivers.add(p.activity.driverId);
    const d = byDriver.get(p.activity.driverId) ?? { actual: new Decimal(0), simulated: new Decimal(0) };
    d.actual = d.actual.plus(p.actual);
    d.simulated = d.simulated.plus(p.simulated);
    byDriver.set(p.activity.driverId, d);
  }

  const changes = [...byDriver.entries()]
    .map(([driverId, d]) => ({ driverId, ...d, change: d.simulated.minus(d.actual) }))
    .filter((d) => !d.change.isZero())
    .sort((a, b) => b.change.abs().comparedTo(a.change.abs()) || (a.driverId < b.driverId ? -1 : 1))
    .slice(0, input.top);
  const people = changes.length
    ? await db
        .select({ id: users.id, name: users.name, plateNumber: users.plateNumber })
        .from(users)
        .where(inArray(users.id, changes.map((c) => c.driverId)))
    : [];
  const personOf = new Map(people.map((p) => [p.id, p]));

  let actual = new Decimal(0);
  let simulated = new Decimal(0);
  for (const t of byType.values()) {
    actual = actual.plus(t.actual);
    simulated = simulated.plus(t.simulated);
  }
  const drivers = [...byDriver.values()];
  return {
    from: input.from,
    to: input.to,
    totals: {
      actualPoints: actual,
      simulatedPoints: simulated,
      activities: priced.length,
      drivers: byDriver.size,
      driversPaidActual: drivers.filter((d) => d.actual.gt(0)).length,
      driversPaidSimulated: drivers.filter((d) => d.simulated.gt(0)).length,
    },
    byActivity: ruleActivities.map((activity) => {
      const t = byType.get(activity)!;
      return {
        activity,
        termsFrom: input.draft[activity] ? 'draft' : 'in_force',
        activities: t.activities,
        drivers: t.drivers.size,
        actualPoints: t.actual,
        simulatedPoints: t.simulated,
      };
    }),
    topChanges: changes.map((c) => ({
      driverId: c.driverId,
      name: personOf.get(c.driverId)?.name ?? '',
      plateNumber: personOf.get(c.driverId)?.plateNumber ?? null,
      actualPoints: c.actual,
      simulatedPoints: c.simulated,
    })),
  };
}
