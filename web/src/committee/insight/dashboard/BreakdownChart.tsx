import { For, Show } from 'solid-js';
import { formatNumber, formatPoints } from '../../../i18n';
import { ChartFigure } from '../charts/ChartFigure';
import { plotValue, type ChartSpec } from '../charts/spec';
import { t } from '../messages';

interface Row {
  label: string;
  redemptions: number;
  points: string;
}

/** Confirmed redemptions split one way (category, region): points as bars, counts in the table. */
export function BreakdownChart(props: { title: string; keyLabel: string; rows: Row[]; empty?: string }) {
  const spec = (): ChartSpec => ({
    kind: 'bar',
    categories: props.rows.map((r) => r.label),
    series: { label: t('dash.breakdown.points'), values: props.rows.map((r) => plotValue(r.points)) },
  });
  return (
    <Show
      when={props.rows.length > 0}
      fallback={
        <section class="insight-figure">
          <h2>{props.title}</h2>
          <p class="empty">{props.empty ?? t('state.empty')}</p>
        </section>
      }
    >
      <ChartFigure title={props.title} spec={spec()}>
        <table class="table">
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.keyLabel}</th>
              <th scope="col" class="num">{t('dash.breakdown.count')}</th>
              <th scope="col" class="num">{t('dash.breakdown.points')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows}>
              {(row) => (
                <tr>
                  <th scope="row">{row.label}</th>
                  <td class="num">{formatNumber(row.redemptions)}</td>
                  <td class="num">{formatPoints(row.points)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </ChartFigure>
    </Show>
  );
}
