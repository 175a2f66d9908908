import { addDays, isDay, programmeToday } from '../../../lib/programme-day';

export { addDays, isDay, programmeToday };

/**
 * Report periods in programme days (China Standard Time, UTC+8 all year), `YYYY-MM-DD`. The API
 * takes `[from, to)`; people pick the first and the last day, both included.
 */
export const MAX_DAYS = 366;
export const PRESETS = [7, 30, 90, 365] as const;
export type Preset = (typeof PRESETS)[number];

export interface Period {
  from: string;
  to: string;
}


const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;


/** The last `days` days up to and including today. */
export function lastDays(days: number, now: Date = new Date()): Period {
  const to = addDays(programmeToday(now), 1);
  return { from: addDays(to, -days), to };
}

/** The period in the address (`?from=&to=`, as the API takes them), else the last 30 days. */
export function periodOf(query: Record<string, unknown>, now: Date = new Date()): Period {
  const fallback = lastDays(30, now);
  const to = isDay(query.to) ? query.to : fallback.to;
  const from = isDay(query.from) ? query.from : addDays(to, -30);
  return { from, to };
}

export const lastDayOf = (period: Period) => addDays(period.to, -1);

export function presetOf(period: Period, now: Date = new Date()): Preset | undefined {
  return PRESETS.find((days) => {
    const p = lastDays(days, now);
    return p.from === period.from && p.to === period.to;
  });
}

export type PeriodProblem = 'missing' | 'order' | 'tooLong';

/** The period from the first and last days picked, or what is wrong with them. */
export function periodFromDays(first: string, last: string): Period | PeriodProblem {
  if (!isDay(first) || !isDay(last)) return 'missing';
  const to = addDays(last, 1);
  const days = daysBetween(first, to);
  if (days <= 0) return 'order';
  if (days > MAX_DAYS) return 'tooLong';
  return { from: first, to };
}
