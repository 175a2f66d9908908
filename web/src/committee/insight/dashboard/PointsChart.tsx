import { For } from 'solid-js';
import { formatDate, formatPoints } from '../../../i18n';
import type { Summary } from '../api';
import { ChartFigure } from '../charts/ChartFigure';
import { plotValue, type ChartSpec } from '../charts/spec';
import { t } from '../messages';

/** Points issued, redeemed and held, day by day. */
export function PointsChart(props: { series: Summary['series'] }) {
  const spec = (): ChartSpec => ({
    kind: 'line',
    dayLabel: t('dash.points.day'),
    days: props.series.map((d) => d.date),
    series: [
      { label: t('dash.points.issued'), values: props.series.map((d) => plotValue(d.issued)) },
      { label: t('dash.points.redeemed'), values: props.series.map((d) => plotValue(d.redeemed)) },
      { label: t('dash.points.held'), values: props.series.map((d) => plotValue(d.held)) },
    ],
  });
  return (
    <ChartFigure title={t('dash.points.title')} spec={spec()}>
      <table class="table">
        <caption class="visually-hidden">{t('dash.points.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dash.points.day')}</th>
            <th scope="col" class="num">{t('dash.points.issued')}</th>
            <th scope="col" class="num">{t('dash.points.redeemed')}</th>
            <th scope="col" class="num">{t('dash.points.held')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.series}>
            {(day) => (
              <tr>
                <th scope="row">{formatDate(day.date)}</th>
                <td class="num">{formatPoints(day.issued)}</td>
                <td class="num">{formatPoints(day.redeemed)}</td>
                <td class="num">{formatPoints(day.held)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </ChartFigure>
  );
}
