/**
 * Report periods in programme days (China Standard Time, UTC+8 all year), `YYYY-MM-DD`. The API
 * takes `[from, to)`; people pick the first and the last day, both included.
 */
const offsetMs = 8 * 60 * 60 * 1000;
export const MAX_DAYS = 366;
export const PRESETS = [7, 30, 90, 365] as const;
export type Preset = (typeof PRESETS)[number];

export interface Period {
  from: string;
  to: string;
}

export function programmeToday(now: Date = new Date()): string {
  return new Date(now.getTime() + offsetMs).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

export const isDay = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

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
