/**
 * Days in the programme's calendar (China Standard Time, UTC+8 all year, no daylight saving), as
 * `YYYY-MM-DD`. The API takes instants; a day runs from its midnight at +08:00 to the next one.
 */
const offsetMs = 8 * 60 * 60 * 1000;

/** Today in the programme's calendar. */
export function programmeToday(now: Date = new Date()): string {
  return new Date(now.getTime() + offsetMs).toISOString().slice(0, 10);
}

export function isDay(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function firstOfMonth(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** The instant a programme day begins. */
export function dayStart(day: string): string {
  return `${day}T00:00:00+08:00`;
}

/** `[from, to)` covering the days `first` to `last`, both included. */
export function dayRange(first: string, last: string): { from: string; to: string } {
  return { from: dayStart(first), to: dayStart(addDays(last, 1)) };
}
