import { For, type JSX } from 'solid-js';
import { t } from '../messages';
import { grades, type Grade } from './api';

/** A table with a row for every grade, best first: the grade heads the row, `cells` fill it. */
export function GradeTable(props: { caption: string; heads: JSX.Element; cells: (grade: Grade) => JSX.Element }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('policy.summary.grade')}</th>
            {props.heads}
          </tr>
        </thead>
        <tbody>
          <For each={grades}>
            {(grade) => (
              <tr>
                <th scope="row">{grade}</th>
                {props.cells(grade)}
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
