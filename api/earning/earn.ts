import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { earnings, rewardRules, rewardRuleVersions, type EarningSource, type GridCategory, type RuleActivity } from '../../db/schema/index';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { PROGRAMME_ACCOUNTS } from '../ledger/accounts';
import { applyBatch, issueMany, outcomeError, type IssueOp } from '../ledger/ledger';
import { gradesAndBenefits } from '../rating/benefits';
import { capPeriods, paymentFor, RuleTerms, type CapPeriod } from './terms';

/** Calendar periods (caps, "this month") are counted in the programme's local time. */
export const PROGRAMME_TIME_ZONE = 'Asia/Shanghai';

export type EarningRow = typeof earnings.$inferSelect;

export interface RuleVersion {
  id: string;
  ruleId: string;
  activity: RuleActivity;
  version: number;
  effectiveFrom: Date;
  enabled: boolean;
  terms: RuleTerms;
}

/** The version of the activity's rule in force at `at`, if any. */
export async function ruleVersionAt(db: Db, activity: RuleActivity, at: Date): Promise<RuleVersion | null> {
  return versionAt(await allVersions(db, [activity]), activity, at);
}

export interface EarnInput {
  driverId: string;
  source: Exclude<EarningSource, 'award'>;
  /** The activity's id (a claim, a report, a milestone): one payment per source + id, ever. */
  sourceId: string;
  /** When the activity happened: picks the rule version and the cap periods. */
  activityAt: Date;
  /** Hours, reports or milestones, before caps. */
  units: Decimal;
  category?: GridCategory | null;
  actorId?: string | null;
  reason: string;
}

export type EarnResult =
  | { paid: true; earning: EarningRow; replayed: boolean }
  | { paid: false; reason: 'no_rule' | 'rule_disabled'; earning: null; replayed: false };

/**
 * Pays one activity under the rule version in force when it happened. Call it inside the
 * transaction that changes the activity's state, so the payment and the state commit together.
 *
 * The driver's earnings are serialised by a transaction-scoped advisory lock, so two payments at
 * once cannot both fit under the same cap. Paying the same activity again returns the first
 * payment (unique `source, source_id`; the ledger key is derived from it and the rule version).
 * A payment the caps reduce to zero is still recorded, with zero points and no transfer.
 */
export async function earn(tx: Db, clock: Clock, input: EarnInput): Promise<EarnResult> {
  const [result] = await earnMany(tx, clock, [input]);
  return result!;
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: PROGRAMME_TIME_ZONE, timeZoneName: 'longOffset' });

const QUARTER_HOUR_MS = 15 * 60_000;
/** Offsets by quarter hour: zones change offset only on quarter-hour boundaries, and Intl is slow. */
const offsets = new Map<number, number>();

/** The programme time zone's offset from UTC at `at`, in minutes (e.g. 480 for UTC+8). */
function offsetMinutes(at: Date): number {
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  let offset = offsets.get(quarter);
  if (offset === undefined) {
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(quarter, (offset = zoneOffsetMinutes(at)));
  }
  return offset;
}

function zoneOffsetMinutes(at: Date): number {
  const name = offsetFormat
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT+08:00", or "GMT" at zero
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Midnight at the start of a local calendar date (`YYYY-MM-DD`) in the programme's time zone. */
export function localMidnight(date: string): Date {
  const utc = new Date(`${date}T00:00:00Z`);
  return new Date(utc.getTime() - offsetMinutes(utc) * 60_000);
}

/** The local calendar date (`YYYY-MM-DD`) of a moment in the programme's time zone. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + offsetMinutes(at) * 60_000).toISOString().slice(0, 10);
}

/** The keys of the calendar day, week (from Monday) and month containing `at`, locally. */
function periodKeys(at: Date): Record<CapPeriod, string> {
  const day = localDate(at);
  const d = new Date(`${day}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
  return { day, week: monday, month: day.slice(0, 7) };
}

/**
 * `earn()` for many activities at once, set-based: one lock statement, one query each for prior
 * payments, wallets, grades and cap usage, one bulk ledger call and one insert, whatever the
 * batch size. Caps count in input order within the batch. Results come back in input order.
 */
export async function earnMany(tx: Db, clock: Clock, inputs: readonly EarnInput[]): Promise<EarnResult[]> {
  if (inputs.length === 0) return [];
  const drivers = [...new Set(inputs.map((i) => i.driverId))];
  await tx.execute(
    sql`select pg_advisory_xact_lock(k) from (select hashtextextended('earn:' || d, 0) as k from jsonb_array_elements_text(${JSON.stringify(drivers)}::jsonb) d order by 1) s`,
  );
  const results: Array<EarnResult | undefined> = new Array(inputs.length);

  const priors = await tx
    .select()
    .from(earnings)
    .where(
      sql`(${earnings.source}, ${earnings.sourceId}) in (select s, i from jsonb_to_recordset(${JSON.stringify(inputs.map((i) => ({ s: i.source, i: i.sourceId })))}::jsonb) as x(s text, i text))`,
    );
  const priorBy = new Map(priors.map((p) => [`${p.source}\u0000${p.sourceId}`, p]));

  const versions = await allVersions(tx, [...new Set(inputs.map((i) => i.source))]);
  const [walletRows, { grades, table: benefits }, usedRows] = await Promise.all([
    queryRows<{ owner_id: string; id: string }>(
      tx,
      sql`select owner_id, id from ledger_accounts
          where kind = 'driver_wallet' and owner_id in (select d::uuid from jsonb_array_elements_text(${JSON.stringify(drivers)}::jsonb) d)`,
    ),
    gradesAndBenefits(tx, drivers),
    usageRows(tx, inputs, versions),
  ]);
  const wallets = new Map(walletRows.map((w) => [w.owner_id, w.id]));
  const used = new Map<string, Decimal>();
  const usedKey = (driverId: string, source: string, period: CapPeriod, key: string) => `${driverId}|${source}|${period}|${key}`;
  for (const row of usedRows) {
    const keys = periodKeys(new Date(Number(row.activity_ms)));
    for (const p of capPeriods) {
      const k = usedKey(row.driver_id, row.source, p, keys[p]);
      used.set(k, (used.get(k) ?? new Decimal(0)).plus(row.units));
    }
  }

  const now = clock.now();
  const fresh: Array<{ index: number; row: EarningRow; op: IssueOp | null }> = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const id = `${input.source}\u0000${input.sourceId}`;
    const prior = priorBy.get(id);
    if (prior) {
      results[index] = { paid: true, earning: prior, replayed: true };
      return;
    }
    if (seen.has(id)) throw new Error(`earnMany: ${input.source} ${input.sourceId} appears twice in one batch`);
    seen.add(id);
    const rule = versionAt(versions, input.source, input.activityAt);
    if (!rule) {
      results[index] = { paid: false, reason: 'no_rule', earning: null, replayed: false };
      return;
    }
    if (!rule.enabled) {
      results[index] = { paid: false, reason: 'rule_disabled', earning: null, replayed: false };
      return;
    }
    const keys = periodKeys(input.activityAt);
    const usedNow = Object.fromEntries(
      capPeriods.map((p) => [p, used.get(usedKey(input.driverId, input.source, p, keys[p])) ?? new Decimal(0)]),
    ) as Record<CapPeriod, Decimal>;
    const grade = grades.get(input.driverId) ?? null;
    const payment = paymentFor(rule.terms, { requested: input.units, used: usedNow, grade, category: input.category ?? null, benefits });
    for (const p of capPeriods) {
      const k = usedKey(input.driverId, input.source, p, keys[p]);
      used.set(k, (used.get(k) ?? new Decimal(0)).plus(payment.units));
    }
    const earningId = randomUUID();
    const key = `earn:${input.source}:${input.sourceId}:${rule.id}`;
    let op: IssueOp | null = null;
    if (payment.points.gt(0)) {
      const wallet = wallets.get(input.driverId);
      if (!wallet) throw new AppError('not_found', `driver ${input.driverId} has no points wallet`);
      op = {
        key,
        code: `earn.${input.source}`,
        debit: PROGRAMME_ACCOUNTS.issuance,
        credit: wallet,
        amount: payment.points,
        reason: `${input.reason} (rule ${rule.activity} v${rule.version})`,
        actorId: input.actorId ?? null,
        refType: 'earning',
        refId: earningId,
      };
    }
    fresh.push({
      index,
      op,
      row: {
        id: earningId,
        key,
        driverId: input.driverId,
        source: input.source,
        sourceId: input.sourceId,
        ruleVersionId: rule.id,
        units: payment.units.toFixed(2),
        requestedUnits: input.units.toFixed(2),
        basePoints: payment.basePoints,
        multiplier: payment.multiplier.toFixed(3),
        grade,
        points: payment.points,
        activityAt: input.activityAt,
        transferId: null,
        reason: input.reason,
        actorId: input.actorId ?? null,
        createdAt: now,
      },
    });
  });

  const paying = fresh.filter((f) => f.op);
  // A few payments (an approval, a verification) take the ordinary batch path; the set-based
  // bulk path pays off from dozens of rows on. Both store the same key and request hash.
  const ops = paying.map((f) => f.op!);
  const outcomes =
    ops.length < BULK_FROM ? await applyBatch(tx, ops.map((op) => ({ op: 'transfer' as const, ...op })), now) : await issueMany(tx, ops, now);
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) throw outcomeError(outcome);
    paying[i]!.row.transferId = outcome.transferId;
  });
  if (fresh.length > 0) {
    // One statement for the whole batch, rows as one JSON parameter: far cheaper than a
    // many-VALUES insert with seventeen parameters a row.
    await tx.execute(sql`
      insert into earnings (id, key, driver_id, source, source_id, rule_version_id, units, requested_units, base_points,
                            multiplier, grade, points, activity_at, transfer_id, reason, actor_id, created_at)
      select id, key, driver_id, source, source_id, rule_version_id, units, requested_units, base_points,
             multiplier, grade, points, activity_at, transfer_id, reason, actor_id, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(fresh.map((f) => earningJson(f.row)))}::jsonb)
          as x(id uuid, key text, driver_id uuid, source text, source_id text, rule_version_id uuid, units numeric,
               requested_units numeric, base_points numeric, multiplier numeric, grade text, points numeric,
               activity_at timestamptz, transfer_id uuid, reason text, actor_id uuid)`);
    for (const f of fresh) results[f.index] = { paid: true, earning: f.row, replayed: false };
  }
  return results as EarnResult[];
}

/** Batches of at least this many payments go through `ledger_issue_many`. */
const BULK_FROM = 50;

function earningJson(row: EarningRow) {
  return {
    id: row.id,
    key: row.key,
    driver_id: row.driverId,
    source: row.source,
    source_id: row.sourceId,
    rule_version_id: row.ruleVersionId,
    units: row.units,
    requested_units: row.requestedUnits,
    base_points: row.basePoints.toFixed(2),
    multiplier: row.multiplier,
    grade: row.grade,
    points: row.points.toFixed(2),
    activity_at: row.activityAt.toISOString(),
    transfer_id: row.transferId,
    reason: row.reason,
    actor_id: row.actorId,
  };
}

async function allVersions(db: Db, activities: RuleActivity[]): Promise<RuleVersion[]> {
  const rows = await db
    .select({
      id: rewardRuleVersions.id,
      ruleId: rewardRuleVersions.ruleId,
      activity: rewardRules.activity,
      version: rewardRuleVersions.version,
      effectiveFrom: rewardRuleVersions.effectiveFrom,
      enabled: rewardRuleVersions.enabled,
      terms: rewardRuleVersions.terms,
    })
    .from(rewardRuleVersions)
    .innerJoin(rewardRules, eq(rewardRules.id, rewardRuleVersions.ruleId))
    .where(inArray(rewardRules.activity, activities))
    .orderBy(desc(rewardRuleVersions.effectiveFrom), desc(rewardRuleVersions.version));
  return rows.map((r) => ({ ...r, terms: RuleTerms.parse(r.terms) }));
}

/** Same choice as `ruleVersionAt`, from versions already loaded (newest first). */
function versionAt(versions: RuleVersion[], activity: RuleActivity, at: Date): RuleVersion | null {
  return versions.find((v) => v.activity === activity && v.effectiveFrom <= at) ?? null;
}

/** Earlier payments that count towards the caps of any capped input in the batch. */
async function usageRows(db: Db, inputs: readonly EarnInput[], versions: RuleVersion[]) {
  const capped = inputs.filter((i) => {
    const caps = versionAt(versions, i.source, i.activityAt)?.terms.caps;
    return caps && Object.keys(caps).length > 0;
  });
  if (capped.length === 0) return [];
  const times = capped.map((i) => i.activityAt.getTime());
  const from = new Date(Math.min(...times) - 40 * 86_400_000);
  const to = new Date(Math.max(...times) + 40 * 86_400_000);
  return queryRows<{ driver_id: string; source: string; activity_ms: string; units: string }>(
    db,
    sql`select e.driver_id, e.source, (extract(epoch from e.activity_at) * 1000)::bigint::text as activity_ms, e.units::text as units
          from earnings e
          join (select distinct d, s from jsonb_to_recordset(${JSON.stringify(capped.map((i) => ({ d: i.driverId, s: i.source })))}::jsonb) as u(d uuid, s text)) c
            on c.d = e.driver_id and c.s = e.source
         where e.activity_at >= ${from.toISOString()}::timestamptz and e.activity_at < ${to.toISOString()}::timestamptz`,
  );
}
