// The only module that imports uPlot: the chart component loads it on demand, so uPlot and its
// styles travel in their own chunk and never reach a page without a chart.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber, language } from '../../../i18n';
import { programmeTimeZone } from '../../../i18n/format';
import type { ChartSpec } from './spec';

export interface DrawnChart {
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT = 240;
const COLOURS = ['#0f6e7a', '#c2410c', '#6d28d9', '#15803d'];

const FONT = '12px system-ui, sans-serif';
const numberAxis: uPlot.Axis = { values: (_u, splits) => splits.map((v) => formatNumber(v)), size: 64, font: FONT };

const dayFormat = () => new Intl.DateTimeFormat(language(), { timeZone: programmeTimeZone, month: 'short', day: 'numeric' });

/** Category labels lie flat while they fit their bar's slot, and tilt when they do not. */
function categoryAxis(categories: string[], width: number): uPlot.Axis {
  const slot = (width - 80) / Math.max(categories.length, 1);
  const longest = Math.max(...categories.map((c) => c.length), 1);
  const tilt = longest * 7 > slot;
  return {
    splits: () => categories.map((_, i) => i),
    values: (_u, splits) => splits.map((i) => categories[i] ?? ''),
    grid: { show: false },
    font: FONT,
    ...(tilt ? { rotate: 35, size: Math.min(24 + longest * 5, 110) } : {}),
  };
}

function lineOptions(spec: Extract<ChartSpec, { kind: 'line' }>, width: number): uPlot.Options {
  const day = dayFormat();
  const dayOf = (ts: number) => day.format(new Date(ts * 1000));
  return {
    width,
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), programmeTimeZone),
    scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
    axes: [{ values: (_u, splits) => splits.map(dayOf), font: FONT }, numberAxis],
    series: [
      { label: spec.dayLabel, value: (_u: uPlot, ts: number | null) => (ts === null ? '–' : dayOf(ts)) },
      ...spec.series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatNumber(v)) })),
    ],
  };
}

function barOptions(spec: Extract<ChartSpec, { kind: 'bar' }>, width: number): uPlot.Options {
  const n = spec.categories.length;
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [categoryAxis(spec.categories, width), numberAxis],
    series: [
      {},
      {
        label: spec.series.label,
        stroke: COLOURS[0],
        fill: `${COLOURS[0]}cc`,
        paths: uPlot.paths.bars!({ size: [0.6, 72] }),
        points: { show: false },
      },
    ],
  };
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`) / 1000;

export function draw(host: HTMLElement, spec: ChartSpec, width: number): DrawnChart {
  const plot =
    spec.kind === 'line'
      ? new uPlot(lineOptions(spec, width), [spec.days.map(dayStart), ...spec.series.map((s) => s.values)], host)
      : new uPlot(barOptions(spec, width), [spec.categories.map((_, i) => i), spec.series.values], host);
  return {
    resize: (w) => plot.setSize({ width: w, height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
}
