import type { Db } from '../../db/client';
import { rewardRuleVersions, type RuleActivity } from '../../db/schema/index';
import { ruleVersionAt } from '../../api/earning/earn';

/**
 * For tests about something else than grades (caps, totals): a version 2 of the activity's
 * default rule, in force from the programme's start, that pays ×1 at every grade. Paying and
 * approving re-grades the driver, so without this a test's own activity can lift the driver to
 * AA halfway and change the points it expects.
 */
export async function pinMultipliersToOne(db: Db, activity: RuleActivity): Promise<void> {
  const v1 = (await ruleVersionAt(db, activity, new Date('2000-01-01T00:00:00Z')))!;
  await db.insert(rewardRuleVersions).values({
    ruleId: v1.ruleId,
    version: v1.version + 1,
    effectiveFrom: new Date('2000-01-02T00:00:00Z'),
    terms: { ...v1.terms, multipliers: { AAA: '1', AA: '1', A: '1', B: '1' } },
    note: 'test: no grade multipliers',
  });
}
