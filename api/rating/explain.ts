import Decimal from 'decimal.js';
import type { Grade, SafetySeverity } from '../../db/schema/index';
import { localDate } from '../earning/earn';
import { GRADE_ORDER, type GradeRule, type RatingPolicy } from './policy';
import { factorPoints, failedGates, type GateName, type RatingInputs } from './score';

const DAY_MS = 86_400_000;

/** A stored rating (current or history row) in the shape the explanation needs. */
export interface StoredRating extends RatingInputs {
  grade: Grade;
  score: Decimal;
  safetyPoints: Decimal;
  volunteeringPoints: Decimal;
  reportingPoints: Decimal;
  ratedAt: Date;
}

const two = (d: Decimal) => d.toFixed(2);

/** Each factor, what it counted and the points it gave, under the policy the rating was made with. */
export function breakdownOf(r: StoredRating, policy: RatingPolicy) {
  const { safety, volunteering, reporting } = policy;
  const deductions = (
    [
      ['minor_violation', r.minorViolations, safety.deductions.minorViolation],
      ['major_violation', r.majorViolations, safety.deductions.majorViolation],
      ['at_fault_accident', r.atFaultAccidents, safety.deductions.atFaultAccident],
      ['serious_accident', r.seriousAccidents, safety.deductions.seriousAccident],
    ] as const
  ).map(([event, count, each]) => ({ event, count, each, points: two(new Decimal(each).times(count)) }));
  return {
    window: {
      days: policy.windowDays,
      from: new Date(r.ratedAt.getTime() - policy.windowDays * DAY_MS).toISOString(),
      to: r.ratedAt.toISOString(),
    },
    safety: { points: two(r.safetyPoints), max: safety.weight, deductions },
    volunteering: {
      points: two(r.volunteeringPoints),
      max: volunteering.weight,
      hours: two(r.volunteerHours),
      countedHours: two(Decimal.min(r.volunteerHours, volunteering.maxHours)),
      pointsPerHour: volunteering.pointsPerHour,
      maxHours: volunteering.maxHours,
    },
    reporting: {
      points: two(r.reportingPoints),
      max: reporting.weight,
      verifiedReports: r.verifiedReports,
      countedReports: Math.min(r.verifiedReports, reporting.maxReports),
      pointsPerReport: reporting.pointsPerReport,
      maxReports: reporting.maxReports,
    },
    streak: { since: r.streakSince.toISOString(), days: r.streakDays },
  };
}

/** A safety event that counts in the window now (for when it stops counting). */
export interface CountedEvent {
  severity: SafetySeverity;
  occurredAt: Date;
}

export interface NextStep {
  kind: 'score' | GateName;
  text: string;
  /** When waiting is what it takes: the programme-local date it is met on. */
  on?: string;
  moreHours?: number;
  moreReports?: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const SEVERITY_WORDS: Record<string, [string, string]> = {
  minor: ['minor violation', 'minor violations'],
  major: ['major violation', 'major violations'],
  at_fault_minor: ['at-fault accident', 'at-fault accidents'],
  serious: ['serious accident', 'serious accidents'],
};

/** The inputs once one counted event has left the window. */
function withoutEvent(i: RatingInputs, severity: string): RatingInputs {
  switch (severity) {
    case 'minor':
      return { ...i, minorViolations: i.minorViolations - 1 };
    case 'major':
      return { ...i, majorViolations: i.majorViolations - 1 };
    case 'at_fault_minor':
      return { ...i, atFaultAccidents: i.atFaultAccidents - 1 };
    case 'serious':
      return { ...i, seriousAccidents: i.seriousAccidents - 1 };
    default:
      return i;
  }
}

/** The fewest more hours + reports that lift the score to `target` (balanced on ties), or null. */
function activityPlan(policy: RatingPolicy, i: RatingInputs, target: Decimal): { hours: number; reports: number } | null {
  const reportsRoom = Math.max(0, policy.reporting.maxReports - i.verifiedReports);
  const hoursRoom = Decimal.max(0, new Decimal(policy.volunteering.maxHours).minus(i.volunteerHours)).ceil().toNumber();
  const scoreWith = (hours: number, reports: number) =>
    factorPoints(policy, { ...i, volunteerHours: i.volunteerHours.plus(hours), verifiedReports: i.verifiedReports + reports }).score;
  const perHour = new Decimal(policy.volunteering.pointsPerHour);
  let best: { hours: number; reports: number } | null = null;
  for (let reports = 0; reports <= reportsRoom; reports++) {
    const missing = target.minus(scoreWith(0, reports));
    let hours = missing.lte(0) ? 0 : perHour.gt(0) ? missing.div(perHour).ceil().toNumber() : Infinity;
    if (hours > hoursRoom) continue;
    while (hours < hoursRoom && scoreWith(hours, reports).lt(target)) hours++; // rounding to the cent
    if (scoreWith(hours, reports).lt(target)) continue;
    const better =
      !best ||
      hours + reports < best.hours + best.reports ||
      (hours + reports === best.hours + best.reports && Math.max(hours, reports) < Math.max(best.hours, best.reports));
    if (better) best = { hours, reports };
    if (hours === 0) break; // more reports than this only add to the count
  }
  return best;
}

function activityWords(plan: { hours: number; reports: number }): string {
  const parts: string[] = [];
  if (plan.reports > 0) parts.push(`${plural(plan.reports, 'more verified report')}`);
  if (plan.hours > 0) parts.push(`${plural(plan.hours, 'more volunteer hour')}`);
  return parts.join(' and ');
}

const leavesOn = (policy: RatingPolicy, e: CountedEvent) => new Date(e.occurredAt.getTime() + policy.windowDays * DAY_MS);

/** The score steps: more activity, and if that is not enough, waiting for deductions to leave the window. */
function scoreSteps(policy: RatingPolicy, i: RatingInputs, score: Decimal, target: Decimal, events: CountedEvent[]): NextStep[] {
  if (score.gte(target)) return [];
  const plan = activityPlan(policy, i, target);
  if (plan) {
    return [{ kind: 'score', text: `${activityWords(plan)} (score ${target.toFixed(2)} needed, you have ${score.toFixed(2)})`, moreHours: plan.hours, moreReports: plan.reports }];
  }
  // Even full marks for volunteering and reporting fall short: the rest returns as events leave.
  const full = {
    hours: Decimal.max(0, new Decimal(policy.volunteering.maxHours).minus(i.volunteerHours)).ceil().toNumber(),
    reports: Math.max(0, policy.reporting.maxReports - i.verifiedReports),
  };
  let later: RatingInputs = { ...i, volunteerHours: i.volunteerHours.plus(full.hours), verifiedReports: i.verifiedReports + full.reports };
  let waitUntil: CountedEvent | null = null;
  for (const e of [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    if (factorPoints(policy, later).score.gte(target)) break;
    later = withoutEvent(later, e.severity);
    waitUntil = e;
  }
  const reachable = factorPoints(policy, later).score;
  const activity = activityWords(full);
  if (!waitUntil || reachable.lt(target)) {
    return [{ kind: 'score', text: `a score of ${target.toFixed(2)}, out of reach for now: full marks for volunteering and reporting and a clean window would give ${reachable.toFixed(2)}` }];
  }
  const [one] = SEVERITY_WORDS[waitUntil!.severity] ?? ['event'];
  const on = localDate(leavesOn(policy, waitUntil));
  return [
    {
      kind: 'score',
      text: `${activity ? `${activity}, and ` : ''}wait until ${on}, when the ${one} of ${localDate(waitUntil.occurredAt)} leaves the ${policy.windowDays}-day window (score ${target.toFixed(2)} needed, you have ${score.toFixed(2)})`,
      on,
      moreHours: full.hours,
      moreReports: full.reports,
    },
  ];
}

const GATE_SEVERITIES: Partial<Record<GateName, string[]>> = {
  maxMinorViolations: ['minor'],
  maxMajorViolations: ['major'],
  maxAtFaultAccidents: ['at_fault_minor', 'serious'],
  maxSeriousAccidents: ['serious'],
};
const GATE_WORDS: Partial<Record<GateName, [string, string]>> = {
  maxMinorViolations: ['minor violation', 'minor violations'],
  maxMajorViolations: ['major violation', 'major violations'],
  maxAtFaultAccidents: ['at-fault accident', 'at-fault accidents'],
  maxSeriousAccidents: ['serious accident', 'serious accidents'],
};

function gateStep(policy: RatingPolicy, rule: GradeRule, gate: GateName, i: RatingInputs, events: CountedEvent[]): NextStep {
  if (gate === 'minStreakDays') {
    const days = rule.minStreakDays!;
    const on = localDate(new Date(i.streakSince.getTime() + days * DAY_MS));
    return { kind: gate, text: `your violation-free streak reaches ${days} days on ${on} (it is ${i.streakDays} days now)`, on };
  }
  const max = rule[gate]!;
  const [one, many] = GATE_WORDS[gate]!;
  const matching = events.filter((e) => GATE_SEVERITIES[gate]!.includes(e.severity)).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const mustLeave = matching.length - max;
  const last = matching[Math.max(0, mustLeave - 1)];
  const on = last ? localDate(leavesOn(policy, last)) : undefined;
  const limit = max === 0 ? `no ${one} in the ${policy.windowDays}-day window` : `at most ${plural(max, one, many)} in the window`;
  const when =
    mustLeave === 1 && last
      ? `yours of ${localDate(last.occurredAt)} leaves it on ${on}`
      : `you have ${matching.length}; enough of them have left it on ${on}`;
  return { kind: gate, text: `${limit}: ${when}`, ...(on ? { on } : {}) };
}

export interface NextGrade {
  grade: Grade;
  minScore: string;
  steps: NextStep[];
  /** The steps in one sentence, e.g. "2 more verified reports and 3 more volunteer hours". */
  summary: string;
}

/**
 * What the next grade up needs, in plain terms: the fewest more verified reports and volunteer
 * hours that close the score gap, and for each gate it fails, the date that gate opens (a streak
 * reaching its length, an event leaving the window). Null at the top grade.
 */
export function nextGrade(policy: RatingPolicy, current: Grade, i: RatingInputs, score: Decimal, events: CountedEvent[]): NextGrade | null {
  const target = GRADE_ORDER[GRADE_ORDER.indexOf(current) + 1] as Exclude<Grade, 'B'> | undefined;
  if (!target) return null;
  const rule = policy.grades[target];
  const steps = [...scoreSteps(policy, i, score, new Decimal(rule.minScore), events), ...failedGates(rule, i).map((g) => gateStep(policy, rule, g, i, events))];
  const summary = steps.length === 0 ? `You meet everything ${target} needs` : `For ${target}: ${steps.map((s) => s.text).join('; ')}.`;
  return { grade: target, minScore: rule.minScore, steps, summary };
}
