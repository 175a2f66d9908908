import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import { earnings, rewardRules, rewardRuleVersions, type EarningSource, type GridCategory, type RuleActivity } from '../../db/schema/index';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { PROGRAMME_ACCOUNTS, walletOf } from '../ledger/accounts';
import { createLedger, outcomeError } from '../ledger/ledger';
import { currentGrade } from '../rating/benefits';
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
  const [row] = await db
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
    .where(and(eq(rewardRules.activity, activity), lte(rewardRuleVersions.effectiveFrom, at)))
    .orderBy(desc(rewardRuleVersions.effectiveFrom), desc(rewardRuleVersions.version))
    .limit(1);
  if (!row) return null;
  return { ...row, terms: RuleTerms.parse(row.terms) };
}

/** Units already paid to the driver for this activity in each calendar period containing `at`. */
async function unitsUsed(db: Db, driverId: string, source: EarningSource, at: Date): Promise<Record<CapPeriod, Decimal>> {
  const ts = sql`${at.toISOString()}::timestamptz`;
  const local = sql`(${ts} at time zone ${PROGRAMME_TIME_ZONE})`;
  const start = (period: CapPeriod) => sql`(date_trunc(${period}, ${local}) at time zone ${PROGRAMME_TIME_ZONE})`;
  const sum = (period: CapPeriod) =>
    sql`coalesce(sum(units) filter (where activity_at >= ${start(period)} and activity_at < ${start(period)} + ${`1 ${period}`}::interval), 0)::text`;
  const row = await queryOne<Record<CapPeriod, string>>(
    db,
    sql`select ${sum('day')} as day, ${sum('week')} as week, ${sum('month')} as month
        from earnings
        where driver_id = ${driverId} and source = ${source}
          and activity_at >= ${start('month')} - interval '7 days' and activity_at < ${start('month')} + interval '1 month 7 days'`,
  );
  return Object.fromEntries(capPeriods.map((p) => [p, new Decimal(row?.[p] ?? 0)])) as Record<CapPeriod, Decimal>;
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
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`earn:${input.driverId}`}, 0))`);
  const [prior] = await tx
    .select()
    .from(earnings)
    .where(and(eq(earnings.source, input.source), eq(earnings.sourceId, input.sourceId)));
  if (prior) return { paid: true, earning: prior, replayed: true };

  const rule = await ruleVersionAt(tx, input.source, input.activityAt);
  if (!rule) return { paid: false, reason: 'no_rule', earning: null, replayed: false };
  if (!rule.enabled) return { paid: false, reason: 'rule_disabled', earning: null, replayed: false };

  const needsUsage = rule.terms.caps && Object.keys(rule.terms.caps).length > 0;
  const [used, grade] = await Promise.all([
    needsUsage ? unitsUsed(tx, input.driverId, input.source, input.activityAt) : Promise.resolve({}),
    currentGrade(tx, input.driverId),
  ]);
  const payment = paymentFor(rule.terms, { requested: input.units, used, grade, category: input.category ?? null });
  const id = randomUUID();
  const now = clock.now();
  let transferId: string | null = null;
  if (payment.points.gt(0)) {
    const wallet = await walletOf(tx, input.driverId);
    if (!wallet) throw new AppError('not_found', `driver ${input.driverId} has no points wallet`);
    const outcome = await createLedger(tx, clock).run({
      op: 'transfer',
      key: `earn:${input.source}:${input.sourceId}:${rule.id}`,
      code: `earn.${input.source}`,
      debit: PROGRAMME_ACCOUNTS.issuance,
      credit: wallet,
      amount: payment.points,
      reason: `${input.reason} (rule ${rule.activity} v${rule.version})`,
      actorId: input.actorId ?? null,
      refType: 'earning',
      refId: id,
    });
    if (!outcome.ok) throw outcomeError(outcome);
    transferId = outcome.transferId;
  }
  const [earning] = await tx
    .insert(earnings)
    .values({
      id,
      key: `earn:${input.source}:${input.sourceId}:${rule.id}`,
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
      transferId,
      reason: input.reason,
      actorId: input.actorId ?? null,
      createdAt: now,
    })
    .returning();
  return { paid: true, earning: earning!, replayed: false };
}

/** The programme time zone's offset from UTC at `at`, in minutes (e.g. 480 for UTC+8). */
function offsetMinutes(at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: PROGRAMME_TIME_ZONE, timeZoneName: 'longOffset' })
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
