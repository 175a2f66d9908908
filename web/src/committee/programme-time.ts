import { programmeTimeZone } from '../i18n/format';

/** The programme's clock is China Standard Time: +08:00 all year, no daylight saving. */
const offset = '+08:00';

const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: programmeTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in the programme's calendar, `YYYY-MM-DD`. */
export function programmeToday(now: Date = new Date()): string {
  return isoDay.format(now);
}

/** `YYYY-MM-DD` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map((part) => Number.parseInt(part, 10));
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** The first moment of a programme day, as the API takes instants: `2026-07-01T00:00:00+08:00`. */
export function startOfDay(day: string): string {
  return `${day}T00:00:00${offset}`;
}

export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}
