import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rewardRules, rewardRuleVersions, users, type RuleActivity } from '../../db/schema/index';
import { audit } from '../audit/audit';
import { AppError, type FieldError } from '../errors';
import { RuleTerms, termsProblems } from './terms';

export type VersionStatus = 'in_force' | 'scheduled' | 'ended' | 'overridden';

export interface VersionView {
  id: string;
  version: number;
  effectiveFrom: Date;
  enabled: boolean;
  terms: RuleTerms;
  note: string | null;
  status: VersionStatus;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
}

export interface RuleView {
  id: string;
  activity: RuleActivity;
  name: string;
  createdAt: Date;
  /** In force now. */
  current: VersionView | null;
  /** Taking effect later, soonest first. */
  scheduled: VersionView[];
  /** Every version, newest first. */
  history: VersionView[];
}

export interface VersionInput {
  effectiveFrom?: Date;
  enabled?: boolean;
  terms: RuleTerms;
  note: string;
}

/**
 * Terms that parse but make no sense for the activity (a unit it does not count in, a cap of
 * zero …) become a 422 whose field paths start at `path` (e.g. `terms.caps.month`).
 */
export function assertTermsFit(activity: RuleActivity, terms: RuleTerms, path: string): void {
  const problems = termsProblems(activity, terms);
  if (problems.length === 0) return;
  const fields: FieldError[] = problems.map((p) => {
    const at = p.indexOf(': ');
    return at > 0 ? { path: `${path}.${p.slice(0, at)}`, message: p.slice(at + 2) } : { path, message: p };
  });
  throw new AppError('invalid_terms', `${activity}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
}

/** History is never rewritten: a version takes effect now or later, never earlier. */
function effectiveFromOrNow(input: VersionInput, now: Date): Date {
  const at = input.effectiveFrom ?? now;
  if (at.getTime() < now.getTime()) {
    throw new AppError(
      'effective_in_past',
      `effectiveFrom ${at.toISOString()} is before now (${now.toISOString()}); activity that already happened keeps the version in force when it happened`,
      { fields: [{ path: 'effectiveFrom', message: 'must be now or later' }] },
    );
  }
  return at;
}

type VersionRow = Omit<VersionView, 'status' | 'terms'> & { ruleId: string; terms: unknown };

async function versionRows(db: Db, ruleId?: string): Promise<VersionRow[]> {
  const rows = await db
    .select({
      id: rewardRuleVersions.id,
      ruleId: rewardRuleVersions.ruleId,
      version: rewardRuleVersions.version,
      effectiveFrom: rewardRuleVersions.effectiveFrom,
      enabled: rewardRuleVersions.enabled,
      terms: rewardRuleVersions.terms,
      note: rewardRuleVersions.note,
      createdById: rewardRuleVersions.createdBy,
      createdByName: users.name,
      createdAt: rewardRuleVersions.createdAt,
    })
    .from(rewardRuleVersions)
    .leftJoin(users, eq(users.id, rewardRuleVersions.createdBy))
    .where(ruleId ? eq(rewardRuleVersions.ruleId, ruleId) : undefined)
    .orderBy(asc(rewardRuleVersions.ruleId), asc(rewardRuleVersions.version));
  return rows.map(({ createdById, createdByName, ...r }) => ({
    ...r,
    createdBy: createdById ? { id: createdById, name: createdByName ?? '' } : null,
  }));
}

/**
 * Where each version stands at `now`. The version in force at a moment is the one with the
 * latest effective moment not after it, the newer version winning a tie (as `ruleVersionAt`).
 */
function withStatus(rows: VersionRow[], now: Date): VersionView[] {
  const latestAt = new Map<number, number>();
  for (const r of rows) latestAt.set(r.effectiveFrom.getTime(), Math.max(latestAt.get(r.effectiveFrom.getTime()) ?? 0, r.version));
  const applying = rows.filter((r) => latestAt.get(r.effectiveFrom.getTime()) === r.version);
  const inForce = applying
    .filter((r) => r.effectiveFrom.getTime() <= now.getTime())
    .reduce<VersionRow | null>((best, r) => (!best || r.effectiveFrom > best.effectiveFrom ? r : best), null);
  return rows.map(({ ruleId: _ruleId, ...r }) => {
    const status: VersionStatus =
      latestAt.get(r.effectiveFrom.getTime()) !== r.version
        ? 'overridden'
        : r.id === inForce?.id
          ? 'in_force'
          : r.effectiveFrom.getTime() > now.getTime()
            ? 'scheduled'
            : 'ended';
    return { ...r, terms: RuleTerms.parse(r.terms), status };
  });
}

function ruleView(rule: typeof rewardRules.$inferSelect, rows: VersionRow[], now: Date): RuleView {
  const versions = withStatus(rows, now);
  return {
    id: rule.id,
    activity: rule.activity,
    name: rule.name,
    createdAt: rule.createdAt,
    current: versions.find((v) => v.status === 'in_force') ?? null,
    scheduled: versions
      .filter((v) => v.status === 'scheduled')
      .sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime()),
    history: [...versions].sort((a, b) => b.version - a.version),
  };
}

const ACTIVITY_ORDER: Record<RuleActivity, number> = { volunteering: 0, grid_report: 1, safety_streak: 2, safety_challenge: 3 };

/** Every rule with its version in force at `now`, what is scheduled, and its whole history. */
export async function listRules(db: Db, now: Date): Promise<RuleView[]> {
  const [rules, rows] = await Promise.all([db.select().from(rewardRules), versionRows(db)]);
  const byRule = new Map<string, VersionRow[]>();
  for (const r of rows) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  return rules
    .sort((a, b) => ACTIVITY_ORDER[a.activity] - ACTIVITY_ORDER[b.activity])
    .map((rule) => ruleView(rule, byRule.get(rule.id) ?? [], now));
}

export async function getRule(db: Db, id: string, now: Date): Promise<RuleView> {
  const [rule] = await db.select().from(rewardRules).where(eq(rewardRules.id, id));
  if (!rule) throw new AppError('rule_not_found', `no reward rule ${id}`);
  return ruleView(rule, await versionRows(db, id), now);
}

function auditVersion(v: { id: string; version: number; effectiveFrom: Date; enabled: boolean; terms: unknown; note: string | null }) {
  return { id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, enabled: v.enabled, terms: v.terms, note: v.note };
}

/** The rule for an activity that has none, with its first version; audited. */
export async function createRule(
  db: Db,
  actorId: string,
  input: VersionInput & { activity: RuleActivity; name: string },
  now: Date,
): Promise<{ rule: RuleView; versionId: string }> {
  assertTermsFit(input.activity, input.terms, 'terms');
  const effectiveFrom = effectiveFromOrNow(input, now);
  const created = await db.transaction(async (tx) => {
    const [rule] = await tx
      .insert(rewardRules)
      .values({ activity: input.activity, name: input.name, createdBy: actorId, createdAt: now })
      .onConflictDoNothing({ target: rewardRules.activity })
      .returning();
    if (!rule) {
      throw new AppError('rule_exists', `${input.activity} already has a reward rule; add a version to it instead (POST /api/reward-rules/{id}/versions)`);
    }
    const [version] = await tx
      .insert(rewardRuleVersions)
      .values({
        ruleId: rule.id,
        version: 1,
        effectiveFrom,
        enabled: input.enabled ?? true,
        terms: input.terms,
        note: input.note,
        createdBy: actorId,
        createdAt: now,
      })
      .returning();
    await audit(tx, {
      actorId,
      action: 'reward_rule.create',
      targetType: 'reward_rule',
      targetId: rule.id,
      after: { rule: { id: rule.id, activity: rule.activity, name: rule.name }, version: auditVersion(version!) },
      at: now,
    });
    return { ruleId: rule.id, versionId: version!.id };
  });
  return { rule: await getRule(db, created.ruleId, now), versionId: created.versionId };
}

/**
 * A new version of a rule: numbered max + 1 under a lock on the rule's row, so two committee
 * members saving at once get distinct numbers. Audited with the version in force as `before`.
 */
export async function addVersion(
  db: Db,
  actorId: string,
  ruleId: string,
  input: VersionInput,
  now: Date,
): Promise<{ rule: RuleView; versionId: string }> {
  const effectiveFrom = effectiveFromOrNow(input, now);
  const versionId = await db.transaction(async (tx) => {
    const [rule] = await tx.select().from(rewardRules).where(eq(rewardRules.id, ruleId)).for('no key update');
    if (!rule) throw new AppError('rule_not_found', `no reward rule ${ruleId}`);
    assertTermsFit(rule.activity, input.terms, 'terms');
    const rows = await versionRows(tx, ruleId);
    const before = withStatus(rows, now).find((v) => v.status === 'in_force') ?? null;
    const next = rows.reduce((max, r) => Math.max(max, r.version), 0) + 1;
    const [version] = await tx
      .insert(rewardRuleVersions)
      .values({
        ruleId,
        version: next,
        effectiveFrom,
        enabled: input.enabled ?? true,
        terms: input.terms,
        note: input.note,
        createdBy: actorId,
        createdAt: now,
      })
      .returning();
    await audit(tx, {
      actorId,
      action: 'reward_rule.version.create',
      targetType: 'reward_rule',
      targetId: ruleId,
      before: before ? auditVersion(before) : null,
      after: auditVersion(version!),
      at: now,
    });
    return version!.id;
  });
  return { rule: await getRule(db, ruleId, now), versionId };
}
