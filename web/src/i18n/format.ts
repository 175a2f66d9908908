import { language } from './core';

/**
 * Numbers, points, money and dates in the chosen language. Points arrive from the API as decimal
 * strings; Intl formats the string itself, so no amount ever passes through a JS number.
 * Dates are shown in the programme's time zone (China Standard Time), where its days begin.
 */
export const programmeTimeZone = 'Asia/Shanghai';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language()}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(language(), options);
    cache.set(key, format);
  }
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language()}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(language(), { timeZone: programmeTimeZone, ...options });
    cache.set(key, format);
  }
  return format;
}

// Intl.NumberFormat accepts decimal strings exactly (ECMA-402 NumberFormat v3); TypeScript's
// ES2022 lib only knows number | bigint.
type DecimalFormat = (value: string) => string;

/** A points amount such as "1234.5" → "1,234.5". Empty or malformed input is shown as it is. */
export function formatPoints(amount: string | null | undefined): string {
  if (amount == null || !/^-?\d+(\.\d+)?$/.test(amount)) return amount ?? '';
  const format = numberFormat({ maximumFractionDigits: 4 });
  return (format.format as unknown as DecimalFormat)(amount);
}

export function formatNumber(value: number | string): string {
  const format = numberFormat({ maximumFractionDigits: 2 });
  return typeof value === 'number' ? format.format(value) : (format.format as unknown as DecimalFormat)(value);
}

/** A face value in yuan, e.g. "200" → "¥200.00" / "CN¥200.00". */
export function formatMoney(amount: string): string {
  const format = numberFormat({ style: 'currency', currency: 'CNY' });
  return (format.format as unknown as DecimalFormat)(amount);
}

function toDate(value: string | Date): Date {
  return typeof value === 'string' ? new Date(value) : value;
}

/** A calendar date: "2026-11-22" or an instant → "22 Nov 2026" / "2026年11月22日". */
export function formatDate(value: string | Date): string {
  // A bare date is a day in the programme's calendar, not an instant at UTC midnight.
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : toDate(value);
  return dateFormat({ dateStyle: 'medium' }).format(date);
}

export function formatDateTime(value: string | Date): string {
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(toDate(value));
}
