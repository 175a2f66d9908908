// The rating arithmetic and the policy's consistency rules, without a database.

import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { nextGrade } from '../../api/rating/explain';
import { DEFAULT_POLICY, policyProblems, RatingPolicy } from '../../api/rating/policy';
import { scoreOf, type RatingInputs } from '../../api/rating/score';

const clean: RatingInputs = {
  minorViolations: 0,
  majorViolations: 0,
  atFaultAccidents: 0,
  seriousAccidents: 0,
  volunteerHours: new Decimal(0),
  verifiedReports: 0,
  streakSince: new Date('2025-01-01T00:00:00Z'),
  streakDays: 400,
};
const inputs = (over: Partial<Omit<RatingInputs, 'volunteerHours'>> & { hours?: string } = {}): RatingInputs => {
  const { hours, ...rest } = over;
  return { ...clean, ...rest, volunteerHours: new Decimal(hours ?? '0') };
};
const graded = (i: RatingInputs, policy: RatingPolicy = DEFAULT_POLICY) => {
  const s = scoreOf(policy, i);
  return [s.grade, s.score.toFixed(2)];
};
const clone = (): RatingPolicy => structuredClone(DEFAULT_POLICY);

describe('rating score (DESIGN §5 defaults)', () => {
  it('a clean record with nothing else is 50: safety only, grade B', () => {
    expect(graded(inputs())).toEqual(['B', '50.00']);
  });

  it('every threshold at its boundary: 54.98 B / 55.00 A, 69.98 A / 70.00 AA, 84.99 AA / 85.00 AAA', () => {
    // 1.5 points per hour, rounded half-up to the cent: 3.32 h = 4.98, 3.33 h = 4.995 → 5.00
    expect(graded(inputs({ hours: '3.32' }))).toEqual(['B', '54.98']);
    expect(graded(inputs({ hours: '3.33' }))).toEqual(['A', '55.00']);
    expect(graded(inputs({ verifiedReports: 9, hours: '1.32' }))).toEqual(['A', '69.98']);
    expect(graded(inputs({ verifiedReports: 9, hours: '1.33' }))).toEqual(['AA', '70.00']);
    expect(graded(inputs({ verifiedReports: 10, hours: '9.99' }))).toEqual(['AA', '84.99']);
    expect(graded(inputs({ verifiedReports: 10, hours: '10' }))).toEqual(['AAA', '85.00']);
  });

  it('caps: hours beyond 20 and reports beyond 10 add nothing', () => {
    expect(graded(inputs({ verifiedReports: 25, hours: '24' }))).toEqual(['AAA', '100.00']);
  });

  it('deductions per event kind, with the safety factor floored at 0', () => {
    expect(scoreOf(DEFAULT_POLICY, inputs({ minorViolations: 1 })).safetyPoints.toFixed(2)).toBe('45.00');
    expect(scoreOf(DEFAULT_POLICY, inputs({ majorViolations: 1 })).safetyPoints.toFixed(2)).toBe('35.00');
    expect(scoreOf(DEFAULT_POLICY, inputs({ atFaultAccidents: 1 })).safetyPoints.toFixed(2)).toBe('30.00');
    expect(scoreOf(DEFAULT_POLICY, inputs({ seriousAccidents: 1 })).safetyPoints.toFixed(2)).toBe('0.00');
    expect(scoreOf(DEFAULT_POLICY, inputs({ seriousAccidents: 2, minorViolations: 3 })).safetyPoints.toFixed(2)).toBe('0.00');
  });

  it('AAA gates: a major violation, an at-fault accident or a streak under 100 days keeps a perfect score at AA', () => {
    const lenient = clone();
    lenient.safety.deductions = { minorViolation: '0', majorViolation: '0', atFaultAccident: '0', seriousAccident: '0' };
    const full = { verifiedReports: 10, hours: '20' };
    expect(graded(inputs(full), lenient)).toEqual(['AAA', '100.00']);
    expect(graded(inputs({ ...full, majorViolations: 1 }), lenient)).toEqual(['AA', '100.00']);
    expect(graded(inputs({ ...full, atFaultAccidents: 1 }), lenient)).toEqual(['AA', '100.00']);
    expect(graded(inputs({ ...full, streakDays: 99 }), lenient)).toEqual(['AA', '100.00']);
    expect(graded(inputs({ ...full, streakDays: 100 }), lenient)).toEqual(['AAA', '100.00']);
    // a minor violation is no AAA gate
    expect(graded(inputs({ ...full, minorViolations: 2 }), lenient)).toEqual(['AAA', '100.00']);
  });

  it('AA gate: a serious accident keeps a perfect score at A (and so out of AAA too)', () => {
    const lenient = clone();
    lenient.safety.deductions.seriousAccident = '0';
    expect(graded(inputs({ verifiedReports: 10, hours: '20', seriousAccidents: 1 }), lenient)).toEqual(['A', '100.00']);
  });
});

describe('rating policy consistency', () => {
  it('the default policy is consistent and parses', () => {
    expect(RatingPolicy.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
  });

  it('weights must add up to 100, and each factor’s rate × cap must equal its weight', () => {
    const p = clone();
    p.volunteering = { weight: '40', pointsPerHour: '2', maxHours: '20' };
    expect(policyProblems(p)).toEqual([
      { path: 'weights', message: 'safety 50 + volunteering 40 + reporting 20 = 110; the weights must add up to 100' },
    ]);
    const q = clone();
    q.reporting.pointsPerReport = '3';
    expect(policyProblems(q)).toEqual([
      { path: 'reporting', message: '3 points × 10 reports = 30, but the weight is 20; full marks must equal the weight' },
    ]);
  });

  it('thresholds must rise strictly from A to AA to AAA and stay within 0–100', () => {
    const p = clone();
    p.grades.AA.minScore = '55';
    p.grades.AAA.minScore = '101';
    expect(policyProblems(p).map((e) => e.path).sort()).toEqual(['grades.AA.minScore', 'grades.AAA.minScore']);
    expect(policyProblems(p).find((e) => e.path === 'grades.AA.minScore')!.message).toBe('AA (55) must need more than A (55)');
  });

  it('benefits may not shrink as the grade rises', () => {
    const p = clone();
    p.benefits.AAA.priceDiscount = '0.04';
    expect(policyProblems(p)).toEqual([{ path: 'benefits.AAA.priceDiscount', message: 'AAA (0.04) may not get less than AA (0.05)' }]);
  });

  it('the schema refuses floats, unknown fields and out-of-range windows', () => {
    expect(RatingPolicy.safeParse({ ...DEFAULT_POLICY, windowDays: 7 }).success).toBe(false);
    expect(RatingPolicy.safeParse({ ...DEFAULT_POLICY, safety: { ...DEFAULT_POLICY.safety, weight: 50 } }).success).toBe(false);
    expect(RatingPolicy.safeParse({ ...DEFAULT_POLICY, extra: true }).success).toBe(false);
  });
});

describe('what the next grade needs, in plain terms', () => {
  const at = (iso: string) => new Date(iso);

  it('a score gap becomes the fewest more verified reports and volunteer hours', () => {
    // 45 + 9 reports (18) = 63; AA needs 70. Only 1 report fits under the cap of 10 (2 points), so
    // 1 report + 4 hours (6) — 5 in all, as few as 5 hours alone but spread over both
    const i = inputs({ verifiedReports: 9, minorViolations: 1 });
    const next = nextGrade(DEFAULT_POLICY, 'A', i, scoreOf(DEFAULT_POLICY, i).score, []);
    expect(next).toMatchObject({ grade: 'AA', minScore: '70' });
    expect(next!.steps).toEqual([
      { kind: 'score', text: '1 more verified report and 4 more volunteer hours (score 70.00 needed, you have 63.00)', moreHours: 4, moreReports: 1 },
    ]);
    expect(next!.summary).toBe('For AA: 1 more verified report and 4 more volunteer hours (score 70.00 needed, you have 63.00).');
    // with room under both caps, reports (2 points each) close a 6-point gap in 3
    const j = inputs({ verifiedReports: 4, hours: '4' });
    expect(nextGrade(DEFAULT_POLICY, 'A', j, scoreOf(DEFAULT_POLICY, j).score, [])!.steps[0]!.text).toBe('3 more verified reports (score 70.00 needed, you have 64.00)');
  });

  it('a streak gate gives the date the streak gets there (programme-local date)', () => {
    // full marks, but the last violation was 61 days ago (2026-04-20 08:00 Shanghai)
    const i = inputs({ verifiedReports: 10, hours: '20', minorViolations: 1, streakSince: at('2026-04-20T00:00:00Z'), streakDays: 61 });
    const next = nextGrade(DEFAULT_POLICY, 'AA', i, scoreOf(DEFAULT_POLICY, i).score, [{ severity: 'minor', occurredAt: at('2026-04-20T00:00:00Z') }]);
    expect(next!.steps).toEqual([
      { kind: 'minStreakDays', text: 'your violation-free streak reaches 100 days on 2026-07-29 (it is 61 days now)', on: '2026-07-29' },
    ]);
  });

  it('an event gate gives the date the event leaves the window', () => {
    const lenient = clone();
    lenient.safety.deductions.majorViolation = '0';
    const i = inputs({ verifiedReports: 10, hours: '20', majorViolations: 1, streakDays: 200 });
    const next = nextGrade(lenient, 'AA', i, scoreOf(lenient, i).score, [{ severity: 'major', occurredAt: at('2026-02-03T04:00:00Z') }]);
    expect(next!.steps).toEqual([
      { kind: 'maxMajorViolations', text: 'no major violation in the 365-day window: yours of 2026-02-03 leaves it on 2027-02-03', on: '2027-02-03' },
    ]);
  });

  it('when activity alone cannot close the gap, it says which deduction must leave the window first', () => {
    // a serious accident: safety 0, so 20 h + 10 reports give 50 at most; A needs 55
    const i = inputs({ seriousAccidents: 1 });
    const next = nextGrade(DEFAULT_POLICY, 'B', i, scoreOf(DEFAULT_POLICY, i).score, [{ severity: 'serious', occurredAt: at('2026-03-01T04:00:00Z') }]);
    expect(next!.steps[0]!.text).toBe(
      '10 more verified reports and 20 more volunteer hours, and wait until 2027-03-01, when the serious accident of 2026-03-01 leaves the 365-day window (score 55.00 needed, you have 0.00)',
    );
  });

  it('nothing comes after AAA', () => {
    expect(nextGrade(DEFAULT_POLICY, 'AAA', clean, new Decimal(100), [])).toBeNull();
  });
});
