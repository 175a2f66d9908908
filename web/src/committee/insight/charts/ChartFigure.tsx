import { createSignal, createUniqueId, Show, type JSX } from 'solid-js';
import { t } from '../messages';
import { Chart } from './Chart';
import type { ChartSpec } from './spec';

/**
 * A chart with its figures as a table. The table is always there for screen readers; sighted
 * people see the chart, or the table when they ask for it or the chart cannot be drawn.
 */
export function ChartFigure(props: { title: string; spec: ChartSpec; children: JSX.Element }) {
  const id = createUniqueId();
  const [asTable, setAsTable] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const chartShown = () => !asTable() && !failed();
  return (
    <section class="insight-figure">
      <div class="insight-figure__head">
        <h2 id={id}>{props.title}</h2>
        <Show when={!failed()}>
          <button type="button" class="button button--small" aria-pressed={asTable()} onClick={() => setAsTable((v) => !v)}>
            {t('dash.chart.asTable')}
            <span class="visually-hidden">: {props.title}</span>
          </button>
        </Show>
      </div>
      <figure aria-labelledby={id}>
        <Show when={chartShown()}>
          <Chart spec={props.spec} onFailure={() => setFailed(true)} />
        </Show>
        <div class="table-wrap" classList={{ 'visually-hidden': chartShown() }}>
          {props.children}
        </div>
      </figure>
    </section>
  );
}
