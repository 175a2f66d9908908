import { For, Show } from 'solid-js';
import { formatNumber } from '../../i18n';
import { t } from '../messages';
import { grades, type PolicySimulation } from './api';

function change(today: number, draft: number): string {
  const difference = draft - today;
  return difference > 0 ? `+${formatNumber(difference)}` : formatNumber(difference);
}

/** Grades today against grades under the draft, and who would move. */
export function PolicySimulationResult(props: { result: PolicySimulation }) {
  const r = () => props.result;
  return (
    <section class="simulation" aria-labelledby="policy-simulation-title">
      <h3 id="policy-simulation-title">{t('policy.sim.title', { drivers: formatNumber(r().drivers) })}</h3>
      <div class="table-wrap">
        <table class="table">
          <caption>{t('policy.sim.caption', { version: r().policyVersion })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('policy.summary.grade')}</th>
              <th scope="col" class="num">{t('policy.sim.today')}</th>
              <th scope="col" class="num">{t('policy.sim.draft')}</th>
              <th scope="col" class="num">{t('policy.sim.change')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={grades}>
              {(grade) => (
                <tr>
                  <th scope="row">{grade}</th>
                  <td class="num">{formatNumber(r().today[grade])}</td>
                  <td class="num">{formatNumber(r().draft[grade])}</td>
                  <td class="num">{change(r().today[grade], r().draft[grade])}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <p>
        {t('policy.sim.moved', {
          up: formatNumber(r().movedUp),
          down: formatNumber(r().movedDown),
          same: formatNumber(r().unchanged),
        })}
      </p>
      <Show when={r().moves.length > 0}>
        <ul class="simulation__moves">
          <For each={r().moves}>
            {(move) => <li>{t('policy.sim.move', { from: move.from, to: move.to, drivers: formatNumber(move.drivers) })}</li>}
          </For>
        </ul>
      </Show>
    </section>
  );
}
