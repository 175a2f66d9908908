import { sql } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import { ratingPolicyVersions, type Grade } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { regradeAll, simulatePolicy, type FullRegrade } from './engine';
import { GRADE_ORDER, policyInForce, policyProblems, RatingPolicy, toVersion, type PolicyVersion } from './policy';

/** The policy as the schema reads it (400 otherwise), then a 422 naming every inconsistency at once, if any. */
export function assertConsistent(policy: RatingPolicy): void {
  const parsed = RatingPolicy.safeParse(policy);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: ['policy', ...i.path.map(String)].join('.'), message: i.message }));
    throw new AppError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
  }
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new AppError('invalid_rating_policy', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
  }
}

export interface NewPolicyVersion {
  policy: RatingPolicy;
  effectiveFrom?: Date;
  note?: string | null;
}

/**
 * Adds a policy version (audited, in the same transaction). Effective now (the default), every
 * driver is re-graded right after it commits, each change recorded under the new version;
 * effective later, the scheduled re-grade picks it up once it is in force.
 */
export async function createPolicyVersion(
  db: Db,
  clock: Clock,
  actorId: string | null,
  input: NewPolicyVersion,
): Promise<{ version: PolicyVersion; regrade: FullRegrade | null }> {
  assertConsistent(input.policy);
  const now = clock.now();
  const effectiveFrom = input.effectiveFrom ?? now;
  if (effectiveFrom.getTime() < now.getTime()) {
    throw new AppError('rating_policy_in_past', `effectiveFrom ${effectiveFrom.toISOString()} is in the past; ratings already given keep their version. Leave it out to start now.`, {
      fields: [{ path: 'effectiveFrom', message: 'must not be in the past' }],
    });
  }
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('rating:policy', 0))`);
    const last = await queryOne<{ n: number }>(tx, sql`select coalesce(max(version), 0)::int as n from rating_policy_versions`);
    const [row] = await tx
      .insert(ratingPolicyVersions)
      .values({ version: Number(last?.n ?? 0) + 1, effectiveFrom, policy: input.policy, note: input.note ?? null, createdBy: actorId, createdAt: now })
      .returning();
    await audit(tx, {
      actorId,
      action: 'rating_policy.create',
      targetType: 'rating_policy_version',
      targetId: row!.id,
      after: { version: row!.version, effectiveFrom, policy: input.policy, note: input.note ?? null },
      at: now,
    });
    return row!;
  });
  const regrade = effectiveFrom.getTime() <= now.getTime() ? await regradeAll(db, clock, { cause: 'policy' }) : null;
  return { version: toVersion(created), regrade };
}

type Distribution = Record<Grade, number>;

/** The grade distribution now under the version in force and under a draft, and who moves. Writes nothing. */
export async function simulate(db: Db, clock: Clock, draft: RatingPolicy) {
  assertConsistent(draft);
  const asOf = clock.now();
  const current = await policyInForce(db, asOf);
  const result = await simulatePolicy(db, current, draft, asOf);
  const today: Distribution = { AAA: 0, AA: 0, A: 0, B: 0 };
  const under: Distribution = { AAA: 0, AA: 0, A: 0, B: 0 };
  let movedUp = 0;
  let movedDown = 0;
  for (const m of result.moves) {
    today[m.from] += m.drivers;
    under[m.to] += m.drivers;
    const delta = GRADE_ORDER.indexOf(m.to) - GRADE_ORDER.indexOf(m.from);
    if (delta > 0) movedUp += m.drivers;
    if (delta < 0) movedDown += m.drivers;
  }
  const rank = (g: Grade) => GRADE_ORDER.indexOf(g);
  return {
    asOf: asOf.toISOString(),
    policyVersion: current.version,
    drivers: result.drivers,
    today,
    draft: under,
    movedUp,
    movedDown,
    unchanged: result.drivers - movedUp - movedDown,
    moves: result.moves.filter((m) => m.from !== m.to).sort((a, b) => rank(b.from) - rank(a.from) || rank(b.to) - rank(a.to)),
  };
}
