// Property: on a randomised population under randomised (consistent) policies, the set-based full
// re-grade (all SQL) and the one-driver re-grade (index lookups + TypeScript arithmetic) give
// identical ratings, field for field, and each finds nothing to change after the other.

import Decimal from 'decimal.js';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { localDate } from '../../api/earning/earn';
import { gradeEveryone, regradeDriver } from '../../api/rating/engine';
import { createPolicyVersion } from '../../api/rating/policies';
import { DEFAULT_POLICY, policyInForce, policyProblems, type RatingPolicy } from '../../api/rating/policy';
import type { Db } from '../../db/client';
import type { ReportStatus } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { addDriver, addHours, addReport, addSafety, DAY, daysBefore, storedRating } from './rating-support';

const SEVERITIES = ['minor', 'major', 'at_fault_minor', 'serious', 'inspection_passed'] as const;
const REPORT_STATUSES: ReportStatus[] = ['submitted', 'verified', 'forwarded', 'resolved', 'closed', 'rejected', 'duplicate'];

/** Streak gates from a few lengths, and days back often right at or beside one, so that boundaries come up. */
const STREAKS = [1, 7, 30, 100];
const daysAgoArb = (max: number) => fc.oneof(fc.constantFrom(...STREAKS.flatMap((n) => [n - 1, n, n + 1])), fc.integer({ min: -3, max }));

const driverArb = fc.record({
  joinedDaysAgo: daysAgoArb(900),
  events: fc.array(
    fc.record({ severity: fc.constantFrom(...SEVERITIES), daysAgo: daysAgoArb(800), minutes: fc.integer({ min: 0, max: 1439 }), voided: fc.boolean() }),
    { maxLength: 6 },
  ),
  claims: fc.array(
    fc.record({
      hundredths: fc.integer({ min: 1, max: 2400 }),
      daysAgo: fc.integer({ min: -2, max: 800 }),
      status: fc.constantFrom('approved', 'approved', 'submitted', 'rejected' as const),
    }),
    { maxLength: 6 },
  ),
  reports: fc.array(fc.record({ status: fc.constantFrom(...REPORT_STATUSES), daysAgo: fc.integer({ min: -2, max: 800 }) }), { maxLength: 8 }),
});

/** Caps that divide an integer weight into a rate with at most 3 decimals. */
const DIVISORS = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50];
const cents = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((n) => new Decimal(n).div(100).toString());
const gateArb = fc.record(
  {
    maxMinorViolations: fc.integer({ min: 0, max: 3 }),
    maxMajorViolations: fc.integer({ min: 0, max: 2 }),
    maxAtFaultAccidents: fc.integer({ min: 0, max: 2 }),
    maxSeriousAccidents: fc.integer({ min: 0, max: 1 }),
    minStreakDays: fc.constantFrom(...STREAKS),
  },
  { requiredKeys: [] },
);

/** Always consistent: weights add to 100, rate × cap = weight, thresholds rising. */
const policyArb: fc.Arbitrary<RatingPolicy> = fc
  .record({
    windowDays: fc.integer({ min: 30, max: 730 }),
    safetyWeight: fc.integer({ min: 20, max: 60 }),
    volunteerShare: fc.integer({ min: 0, max: 100 }),
    maxHours: fc.constantFrom(...DIVISORS),
    maxReports: fc.constantFrom(...DIVISORS),
    deductions: fc.tuple(cents(0, 60), cents(0, 60), cents(0, 60), cents(0, 60)),
    // thresholds (in cents) often low, so that gates rather than the score decide
    thresholds: fc
      .uniqueArray(fc.oneof(fc.integer({ min: 100, max: 2_500 }), fc.integer({ min: 100, max: 10_000 })), { minLength: 3, maxLength: 3 })
      .map((t) => t.sort((a, b) => a - b)),
    gates: fc.tuple(gateArb, gateArb, gateArb),
  })
  .map((r) => {
    const rest = 100 - r.safetyWeight;
    const volunteerWeight = Math.max(5, Math.min(rest - 5, Math.round((rest * r.volunteerShare) / 100)));
    const reportingWeight = rest - volunteerWeight;
    const [a, aa, aaa] = r.thresholds.map((t) => new Decimal(t).div(100).toString());
    return {
      windowDays: r.windowDays,
      safety: {
        weight: String(r.safetyWeight),
        deductions: { minorViolation: r.deductions[0], majorViolation: r.deductions[1], atFaultAccident: r.deductions[2], seriousAccident: r.deductions[3] },
      },
      volunteering: { weight: String(volunteerWeight), pointsPerHour: new Decimal(volunteerWeight).div(r.maxHours).toString(), maxHours: String(r.maxHours) },
      reporting: { weight: String(reportingWeight), pointsPerReport: new Decimal(reportingWeight).div(r.maxReports).toString(), maxReports: r.maxReports },
      grades: { A: { ...r.gates[0], minScore: a! }, AA: { ...r.gates[1], minScore: aa! }, AAA: { ...r.gates[2], minScore: aaa! } },
      benefits: DEFAULT_POLICY.benefits,
    };
  });

type DriverSpec = typeof driverArb extends fc.Arbitrary<infer T> ? T : never;

async function insertPopulation(db: Db, now: Date, drivers: DriverSpec[]): Promise<string[]> {
  const ids: string[] = [];
  for (const d of drivers) {
    const id = await addDriver(db, new Date(now.getTime() - d.joinedDaysAgo * DAY - 3_600_000));
    for (const e of d.events) {
      const at = new Date(now.getTime() - e.daysAgo * DAY - e.minutes * 60_000);
      await addSafety(db, id, e.severity, at, e.voided ? { voidedAt: now } : {});
    }
    for (const c of d.claims) await addHours(db, id, new Decimal(c.hundredths).div(100).toFixed(2), localDate(daysBefore(now, c.daysAgo)), c.status);
    for (const r of d.reports) {
      const verified = ['verified', 'forwarded', 'resolved', 'closed'].includes(r.status);
      await addReport(db, id, r.status, verified || r.daysAgo % 3 === 0 ? daysBefore(now, r.daysAgo) : null);
    }
    ids.push(id);
  }
  return ids;
}

/** A stored rating and a freshly computed one, in the same comparable shape. */
function comparable(r: { grade: string; score: Decimal | string; safetyPoints: Decimal | string; volunteeringPoints: Decimal | string; reportingPoints: Decimal | string; minorViolations: number; majorViolations: number; atFaultAccidents: number; seriousAccidents: number; volunteerHours: Decimal | string; verifiedReports: number; streakSince: Date }) {
  const two = (v: Decimal | string) => new Decimal(v).toFixed(2);
  return {
    grade: r.grade,
    score: two(r.score),
    points: [two(r.safetyPoints), two(r.volunteeringPoints), two(r.reportingPoints)],
    counts: [r.minorViolations, r.majorViolations, r.atFaultAccidents, r.seriousAccidents, r.verifiedReports],
    hours: two(r.volunteerHours),
    streakSince: r.streakSince.toISOString(),
  };
}

describeEachBackend('rating: full and incremental re-grades agree', (current) => {
  it('on random populations and random policies, field for field', { timeout: 240_000 }, async () => {
    const db = current().db;
    const clock = new FakeClock('2026-06-20T04:00:00.000Z');
    let iteration = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(driverArb, { minLength: 1, maxLength: 6 }), policyArb, fc.integer({ min: 0, max: 3 * 1440 }), async (drivers, policy, minutes) => {
        expect(policyProblems(policy)).toEqual([]);
        clock.advance(minutes * 60_000 + 1000);
        const now = clock.now();
        const ids = await insertPopulation(db, now, drivers);

        // incremental first (under the version in force), compared with the set-based SQL as of the same moment
        for (const id of ids) await regradeDriver(db, clock, id);
        const inForce = await policyInForce(db, now);
        const everyone = new Map((await gradeEveryone(db, inForce, now)).map((r) => [r.driverId, r]));
        for (const id of ids) {
          const full = everyone.get(id)!;
          expect(comparable((await storedRating(db, id))!), `driver ${id}`).toEqual(comparable({ ...full.inputs, ...full.scored }));
        }

        // then a new version effective now: the full re-grade writes, and each driver's own re-grade finds nothing to change
        clock.advance(1000);
        const { regrade } = await createPolicyVersion(db, clock, null, { policy });
        expect(regrade!.policyVersion).toBe(iteration + 2);
        for (const id of ids) {
          const again = await regradeDriver(db, clock, id);
          expect(again!.changed, `driver ${id} under ${JSON.stringify(policy)}`).toBe(false);
        }
        iteration++;
      }),
      { numRuns: 15 },
    );
  });
});
