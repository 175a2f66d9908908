import { For, Show } from 'solid-js';
import { formatNumber } from '../../i18n';
import { t } from '../messages';
import type { PolicySimulation } from './api';
import { GradeTable } from './GradeTable';

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
      <GradeTable
        caption={t('policy.sim.caption', { version: r().policyVersion })}
        heads={
          <>
            <th scope="col" class="num">{t('policy.sim.today')}</th>
            <th scope="col" class="num">{t('policy.sim.draft')}</th>
            <th scope="col" class="num">{t('policy.sim.change')}</th>
          </>
        }
        cells={(grade) => (
          <>
            <td class="num">{formatNumber(r().today[grade])}</td>
            <td class="num">{formatNumber(r().draft[grade])}</td>
            <td class="num">{change(r().today[grade], r().draft[grade])}</td>
          </>
        )}
      />
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
