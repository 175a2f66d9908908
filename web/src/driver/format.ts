import { language } from '../i18n';

// Intl formats a decimal string exactly; TypeScript's lib only admits number | bigint.
type DecimalFormat = (value: string) => string;

/** A fraction from the API ("0.10") as a percentage ("10%"). */
export function formatPercent(fraction: string): string {
  const format = new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 1 });
  return (format.format as unknown as DecimalFormat)(fraction);
}

/** A score or weight from the API ("72.50", "50") without trailing zeros ("72.5", "50"). */
export function formatScore(value: string): string {
  const format = new Intl.NumberFormat(language(), { maximumFractionDigits: 2 });
  return (format.format as unknown as DecimalFormat)(value);
}

const programmeOffsetMs = 8 * 60 * 60 * 1000;

/** Whole days from today (in the programme's calendar, UTC+8) until the programme date `day`. */
export function daysUntil(day: string, now: Date = new Date()): number {
  const today = new Date(now.getTime() + programmeOffsetMs).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** A voucher code ("K7MQ2-XW9PR") in the groups it is read out in: ["K7MQ2", "XW9PR"]. */
export function codeGroups(code: string): string[] {
  return code.split(/[\s-]+/).filter(Boolean);
}

/** A code spelled out for a screen reader: "K 7 M Q 2, X W 9 P R". */
export function spelledCode(code: string): string {
  return codeGroups(code)
    .map((group) => [...group].join(' '))
    .join(', ');
}
