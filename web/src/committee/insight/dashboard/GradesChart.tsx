import { For } from 'solid-js';
import { formatNumber } from '../../../i18n';
import type { Summary } from '../api';
import { ChartFigure } from '../charts/ChartFigure';
import type { ChartSpec } from '../charts/spec';
import { t } from '../messages';

type GradeRow = Summary['grades'][number];
const gradeLabel = (row: GradeRow) => (row.grade === 'ungraded' ? t('dash.grades.ungraded') : row.grade);

/** How many drivers hold each credit grade now. */
export function GradesChart(props: { grades: Summary['grades'] }) {
  const spec = (): ChartSpec => ({
    kind: 'bar',
    categories: props.grades.map(gradeLabel),
    series: { label: t('dash.grades.drivers'), values: props.grades.map((g) => g.drivers) },
  });
  return (
    <ChartFigure title={t('dash.grades.title')} spec={spec()}>
      <table class="table">
        <caption class="visually-hidden">{t('dash.grades.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dash.grades.grade')}</th>
            <th scope="col" class="num">{t('dash.grades.drivers')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.grades}>
            {(row) => (
              <tr>
                <th scope="row">{gradeLabel(row)}</th>
                <td class="num">{formatNumber(row.drivers)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </ChartFigure>
  );
}
