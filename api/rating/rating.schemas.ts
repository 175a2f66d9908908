import { z } from '@hono/zod-openapi';
import { grades } from '../../db/schema/index';
import { storableText } from '../http/text';
import { RatingPolicy } from './policy';

export const GradeSchema = z.enum(grades).openapi({ example: 'AA' });
const Score = z.string().openapi({ description: 'A score, 0–100, two decimals', example: '72.50' });
const When = z.string().datetime().openapi({ example: '2026-06-01T08:00:00.000Z' });

export const PolicyVersionSchema = z
  .object({
    id: z.string().uuid(),
    version: z.number().int().openapi({ example: 2 }),
    effectiveFrom: When.openapi({ description: 'In force from this moment until a later version takes effect' }),
    inForce: z.boolean().openapi({ description: 'Whether this is the version in force now' }),
    policy: RatingPolicy,
    note: z.string().nullable().openapi({ example: 'Volunteering weighs more from July' }),
    createdBy: z.string().uuid().nullable(),
    createdAt: When,
  })
  .openapi('RatingPolicyVersion');

export const PolicyList = z
  .object({ inForce: z.number().int().openapi({ description: 'The version in force now' }), items: z.array(PolicyVersionSchema) })
  .openapi('RatingPolicyList');

export const VersionParam = z.object({
  version: z.coerce.number().int().min(1).max(1_000_000).openapi({ param: { name: 'version', in: 'path' }, example: 1 }),
});

export const DriverParam = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '6f1c2f0e-2f7a-4b59-9a57-3f3b1c1d2e4f' }),
});

export const CreatePolicyBody = z
  .object({
    policy: RatingPolicy,
    effectiveFrom: z
      .string()
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'When the version takes effect (default: now; never in the past). Drivers are re-graded when it does.' }),
    note: storableText(z.string().trim().max(500)).optional().openapi({ example: 'Committee meeting of 2026-06-01, item 4' }),
  })
  .strict()
  .openapi('CreateRatingPolicyBody');

export const FullRegradeSchema = z
  .object({
    asOf: When,
    policyVersion: z.number().int(),
    drivers: z.number().int().openapi({ description: 'Drivers graded' }),
    changed: z.number().int().openapi({ description: 'Drivers whose stored rating changed' }),
    history: z.number().int().openapi({ description: 'History rows written (grade, score or policy version changed)' }),
    gradeChanges: z.number().int().openapi({ description: 'Drivers whose grade changed (each was notified)' }),
    millis: z.number().int(),
  })
  .openapi('RatingRegrade');

export const CreatedPolicy = PolicyVersionSchema.extend({
  regrade: FullRegradeSchema.nullable().openapi({ description: 'The re-grade of every driver, when the version took effect at once' }),
}).openapi('CreatedRatingPolicyVersion');

export const SimulateBody = z.object({ policy: RatingPolicy }).strict().openapi('SimulateRatingPolicyBody');

const Distribution = z
  .object({ AAA: z.number().int(), AA: z.number().int(), A: z.number().int(), B: z.number().int() })
  .openapi('GradeDistribution', { example: { AAA: 120, AA: 840, A: 2100, B: 940 } });

export const SimulationSchema = z
  .object({
    asOf: When,
    policyVersion: z.number().int().openapi({ description: 'The version in force the draft is compared with' }),
    drivers: z.number().int(),
    today: Distribution.openapi({ description: 'Grades now under the version in force' }),
    draft: Distribution.openapi({ description: 'Grades now under the draft' }),
    movedUp: z.number().int(),
    movedDown: z.number().int(),
    unchanged: z.number().int(),
    moves: z
      .array(z.object({ from: GradeSchema, to: GradeSchema, drivers: z.number().int() }))
      .openapi({ description: 'Drivers by (grade today, grade under the draft), changes only' }),
  })
  .openapi('RatingSimulation');

const Deduction = z.object({
  event: z.enum(['minor_violation', 'major_violation', 'at_fault_accident', 'serious_accident']),
  count: z.number().int().openapi({ description: 'Events in the window' }),
  each: z.string().openapi({ example: '5' }),
  points: z.string().openapi({ description: 'Taken off in all', example: '5.00' }),
});

export const BreakdownSchema = z
  .object({
    window: z.object({ days: z.number().int(), from: When, to: When }),
    safety: z.object({ points: Score, max: z.string(), deductions: z.array(Deduction) }),
    volunteering: z.object({
      points: Score,
      max: z.string(),
      hours: z.string().openapi({ description: 'Approved hours in the window', example: '12.50' }),
      countedHours: z.string().openapi({ description: 'Hours up to the cap', example: '12.50' }),
      pointsPerHour: z.string(),
      maxHours: z.string(),
    }),
    reporting: z.object({
      points: Score,
      max: z.string(),
      verifiedReports: z.number().int(),
      countedReports: z.number().int(),
      pointsPerReport: z.string(),
      maxReports: z.number().int(),
    }),
    streak: z.object({ since: When.openapi({ description: 'The latest violation, or when the driver joined' }), days: z.number().int() }),
  })
  .openapi('RatingBreakdown');

const NextStepSchema = z.object({
  kind: z.enum(['score', 'maxMinorViolations', 'maxMajorViolations', 'maxAtFaultAccidents', 'maxSeriousAccidents', 'minStreakDays']),
  text: z.string().openapi({ example: 'your violation-free streak reaches 100 days on 2027-01-14 (it is 61 days now)' }),
  on: z.string().optional().openapi({ description: 'Programme-local date a waiting step is met on', example: '2027-01-14' }),
  moreHours: z.number().int().optional(),
  moreReports: z.number().int().optional(),
});

export const RatingSchema = z
  .object({
    driverId: z.string().uuid(),
    grade: GradeSchema,
    score: Score,
    asOf: When,
    policyVersion: z.number().int(),
    benefits: z.object({
      earningMultiplier: z.string().openapi({ example: '1.1' }),
      priceDiscount: z.string().openapi({ description: 'Fraction off points prices', example: '0.05' }),
    }),
    breakdown: BreakdownSchema,
    next: z
      .object({
        grade: GradeSchema,
        minScore: z.string(),
        steps: z.array(NextStepSchema),
        summary: z.string().openapi({ example: 'For AA: 2 more verified reports and 3 more volunteer hours (score 70.00 needed, you have 64.50).' }),
      })
      .nullable()
      .openapi({ description: 'What the next grade up needs; null at AAA' }),
    history: z.array(
      z.object({
        at: When,
        grade: GradeSchema,
        previousGrade: GradeSchema.nullable(),
        score: Score,
        previousScore: Score.nullable(),
        policyVersion: z.number().int(),
        cause: z.string().openapi({ description: 'activity | refresh | daily | policy | recompute', example: 'activity' }),
        breakdown: BreakdownSchema,
      }),
    ),
  })
  .openapi('Rating');
