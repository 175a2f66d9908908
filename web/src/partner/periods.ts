import { dayRange, firstOfMonth, isDay, programmeToday } from '../lib/programme-day';
import type { Period } from './api';

/** Today, from its midnight to the next (China Standard Time). */
export function todaysPeriod(): Period {
  const today = programmeToday();
  return dayRange(today, today);
}

export interface Days {
  first: string;
  last: string;
}

/** The statement's days from the address (`?from=2026-06-01&to=2026-06-30`), else this month so far. */
export function statementDays(params: { from?: string | string[]; to?: string | string[] }): Days {
  const today = programmeToday();
  const first = typeof params.from === 'string' && isDay(params.from) ? params.from : firstOfMonth(today);
  const last = typeof params.to === 'string' && isDay(params.to) ? params.to : today;
  return { first, last };
}
