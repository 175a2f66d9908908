/**
 * What a chart shows, in plain data. Values are plotting positions only: every figure a person
 * reads is in the table beside the chart, formatted from the API's decimal strings.
 */
export type ChartSpec =
  | { kind: 'line'; dayLabel: string; days: string[]; series: { label: string; values: number[] }[] }
  | { kind: 'bar'; categories: string[]; series: { label: string; values: number[] } };

/** A decimal string as a plotting position (charts only; never for a figure shown as text). */
export function plotValue(amount: string): number {
  return Number(amount);
}
