import { For, Show } from 'solid-js';
import { formatNumber, formatPoints } from '../../i18n';
import { t } from '../messages';
import type { RuleSimulation } from './api';

const points = (amount: string) => t('unit.points', { amount: formatPoints(amount) });

/** A signed difference: "+120 pts", "-40 pts", "0 pts". */
export function signedPoints(difference: string): string {
  const positive = !difference.startsWith('-') && /[1-9]/.test(difference);
  return positive ? `+${points(difference)}` : points(difference);
}

interface Comparison {
  actualPoints: string;
  simulatedPoints: string;
  difference: string;
}

/** The columns every line of a simulation has: paid, would pay, and the difference. */
function ComparisonHeads() {
  return (
    <>
      <th scope="col" class="num">{t('editor.sim.paid')}</th>
      <th scope="col" class="num">{t('editor.sim.wouldPay')}</th>
      <th scope="col" class="num">{t('editor.sim.difference')}</th>
    </>
  );
}

function ComparisonCells(props: { line: Comparison }) {
  return (
    <>
      <td class="num">{points(props.line.actualPoints)}</td>
      <td class="num">{points(props.line.simulatedPoints)}</td>
      <td class="num">{signedPoints(props.line.difference)}</td>
    </>
  );
}

/** What the draft would have paid over the period, next to what was paid. */
export function RuleSimulationResult(props: { result: RuleSimulation }) {
  const totals = () => props.result.totals;
  return (
    <section class="simulation" aria-labelledby="rule-simulation-title">
      <h3 id="rule-simulation-title">{t('editor.simResultTitle')}</h3>
      <dl class="facts simulation__totals">
        <div>
          <dt>{t('editor.sim.wouldPay')}</dt>
          <dd class="points">{points(totals().simulatedPoints)}</dd>
        </div>
        <div>
          <dt>{t('editor.sim.paid')}</dt>
          <dd class="points">{points(totals().actualPoints)}</dd>
        </div>
        <div>
          <dt>{t('editor.sim.difference')}</dt>
          <dd class="points">{signedPoints(totals().difference)}</dd>
        </div>
        <div>
          <dt>{t('editor.sim.activities')}</dt>
          <dd>{formatNumber(totals().activities)}</dd>
        </div>
        <div>
          <dt>{t('editor.sim.drivers')}</dt>
          <dd>
            {t('editor.sim.driversPaid', {
              drivers: formatNumber(totals().drivers),
              simulated: formatNumber(totals().driversPaidSimulated),
              actual: formatNumber(totals().driversPaidActual),
            })}
          </dd>
        </div>
      </dl>
      <div class="table-wrap">
        <table class="table">
          <caption>{t('editor.sim.byActivity')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('editor.sim.activity')}</th>
              <th scope="col" class="num">{t('editor.sim.activities')}</th>
              <th scope="col" class="num">{t('editor.sim.driversShort')}</th>
              <ComparisonHeads />
            </tr>
          </thead>
          <tbody>
            <For each={props.result.byActivity}>
              {(line) => (
                <tr>
                  <th scope="row">
                    {t(`rules.activity.${line.activity}`)}
                    <span class="quiet"> · {t(`editor.sim.termsFrom.${line.termsFrom}`)}</span>
                  </th>
                  <td class="num">{formatNumber(line.activities)}</td>
                  <td class="num">{formatNumber(line.drivers)}</td>
                  <ComparisonCells line={line} />
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={props.result.topChanges.length > 0}>
        <div class="table-wrap">
          <table class="table">
            <caption>{t('editor.sim.topChanges')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('editor.sim.driver')}</th>
                <ComparisonHeads />
              </tr>
            </thead>
            <tbody>
              <For each={props.result.topChanges}>
                {(driver) => (
                  <tr>
                    <th scope="row">
                      {driver.name}
                      <Show when={driver.plateNumber}>{(plate) => <span class="quiet"> · {plate()}</span>}</Show>
                    </th>
                    <ComparisonCells line={driver} />
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
