import { z } from '@hono/zod-openapi';
import { ruleActivities } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';
import { RuleTerms } from './terms';

const text = (min: number, max: number) => storableText(z.string().trim().min(min).max(max));
const Instant = z.string().datetime({ offset: true, message: 'an ISO 8601 date-time with a zone, e.g. "2026-07-01T00:00:00+08:00"' });

export const RuleActivity = z.enum(ruleActivities).openapi({ description: 'What the rule pays for', example: 'volunteering' });

export const RuleIdParam = z.object({
  id: z
    .string()
    .uuid('a reward rule id is a UUID')
    .openapi({ param: { name: 'id', in: 'path' }, example: '00000000-0000-4000-8000-000000000101' }),
});

export const RuleVersion = z
  .object({
    id: z.string().uuid(),
    version: z.number().int().openapi({ description: 'Numbered 1, 2, 3 … per rule, in the order they were made', example: 2 }),
    effectiveFrom: z.string().datetime().openapi({ description: 'Activity from this moment on is paid under this version' }),
    enabled: z.boolean().openapi({ description: 'False: the rule pays nothing while this version is in force' }),
    terms: RuleTerms,
    note: z.string().nullable().openapi({ description: 'Why the committee made this version', example: 'Exam season: more hours count' }),
    status: z.enum(['in_force', 'scheduled', 'ended', 'overridden']).openapi({
      description:
        '`in_force` now; `scheduled` to take effect later; `ended` (a later version took over); `overridden` (a later-made ' +
        'version has the same effective moment, so this one never applies)',
    }),
    createdBy: z
      .object({ id: z.string().uuid(), name: z.string() })
      .nullable()
      .openapi({ description: 'The committee member who made it; null for the programme defaults' }),
    createdAt: z.string().datetime(),
  })
  .openapi('RewardRuleVersion');

export const RewardRule = z
  .object({
    id: z.string().uuid(),
    activity: RuleActivity,
    name: z.string().openapi({ example: 'Volunteering hours' }),
    createdAt: z.string().datetime(),
    current: RuleVersion.nullable().openapi({ description: 'The version in force now (null before the first takes effect)' }),
    scheduled: z.array(RuleVersion).openapi({ description: 'Versions that take effect later, soonest first' }),
    history: z.array(RuleVersion).openapi({ description: 'Every version ever made, newest first; versions are never changed or deleted' }),
  })
  .openapi('RewardRule');

export const RewardRuleList = z.object({ items: z.array(RewardRule) }).openapi('RewardRuleList');

const VersionFields = {
  effectiveFrom: Instant.optional().openapi({
    description:
      'When the version takes effect; default now. It may not be in the past: activity that already happened keeps the ' +
      'version in force when it happened. To call off a scheduled version, add one with the same moment (the newer wins).',
    example: '2026-07-01T00:00:00+08:00',
  }),
  enabled: z.boolean().optional().openapi({ description: 'false switches the rule off from effectiveFrom on (default true)' }),
  terms: RuleTerms,
  note: text(3, 500).openapi({ description: 'Why: kept in the history and the audit log', example: 'Exam season: more hours count' }),
};

export const NewVersionBody = z.object(VersionFields).strict().openapi('NewRewardRuleVersionBody');

export const CreateRuleBody = z
  .object({
    activity: RuleActivity,
    name: text(1, 120).openapi({ example: 'Volunteering hours' }),
    ...VersionFields,
  })
  .strict()
  .openapi('CreateRewardRuleBody');

export const RuleWithVersion = z
  .object({
    rule: RewardRule,
    version: RuleVersion.openapi({ description: 'The version just made' }),
  })
  .openapi('RewardRuleWithVersion');

export const SimulateBody = z
  .object({
    rules: z
      .object({
        volunteering: RuleTerms.optional(),
        grid_report: RuleTerms.optional(),
        safety_streak: RuleTerms.optional(),
        safety_challenge: RuleTerms.optional(),
      })
      .strict()
      .openapi({
        description: 'Draft terms by activity. Activities not named here are priced under the version actually in force when they happened.',
        example: { volunteering: { points: '12', unit: 'hour', caps: { month: '40' } } },
      }),
    from: Instant.openapi({ description: 'Start of the period (inclusive)', example: '2026-05-01T00:00:00+08:00' }),
    to: Instant.openapi({ description: 'End of the period (exclusive); at most 366 days after from', example: '2026-06-01T00:00:00+08:00' }),
    top: z.number().int().min(1).max(100).optional().openapi({ description: 'How many drivers to list whose pay changes most (default 10)', example: 10 }),
  })
  .strict()
  .openapi('SimulateRewardRulesBody');

const Comparison = {
  actualPoints: Points.openapi({ description: 'What was actually paid for these activities' }),
  simulatedPoints: Points.openapi({ description: 'What the draft would have paid' }),
  difference: z.string().regex(/^-?\d+\.\d{2}$/).openapi({ description: 'simulated − actual (signed)', example: '-120.00' }),
};

export const Simulation = z
  .object({
    from: z.string().datetime(),
    to: z.string().datetime(),
    totals: z.object({
      ...Comparison,
      activities: z.number().int().openapi({ description: 'Activities in the period', example: 1520 }),
      drivers: z.number().int().openapi({ description: 'Drivers with at least one activity in the period', example: 310 }),
      driversPaidActual: z.number().int().openapi({ description: 'Drivers actually paid more than zero' }),
      driversPaidSimulated: z.number().int().openapi({ description: 'Drivers the draft would pay more than zero' }),
    }),
    byActivity: z.array(
      z.object({
        activity: RuleActivity,
        termsFrom: z.enum(['draft', 'in_force']).openapi({ description: 'Priced under the draft, or under the versions in force at the time' }),
        activities: z.number().int(),
        drivers: z.number().int(),
        ...Comparison,
      }),
    ),
    topChanges: z
      .array(
        z.object({
          driverId: z.string().uuid(),
          name: z.string(),
          plateNumber: z.string().nullable(),
          ...Comparison,
        }),
      )
      .openapi({ description: 'Drivers whose pay would change most (largest |difference| first); unchanged drivers are left out' }),
  })
  .openapi('RewardRuleSimulation');

export const EarningRates = z
  .object({
    items: z
      .array(
        z.object({
          activity: RuleActivity,
          name: z.string().openapi({ example: 'Volunteering hours' }),
          terms: RuleTerms.openapi({ description: 'What one unit pays now, with its caps (before grade multipliers)' }),
        }),
      )
      .openapi({ description: 'Only the rules in force now and switched on, in the programme’s order' }),
  })
  .openapi('EarningRates');
