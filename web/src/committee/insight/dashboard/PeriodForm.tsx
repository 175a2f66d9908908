import { createSignal, For, Show } from 'solid-js';
import { t } from '../messages';
import { isDay, lastDayOf, lastDays, type Period, type PeriodProblem, periodFromDays, presetOf, PRESETS } from './period';

const problemWords: Record<PeriodProblem, () => string> = {
  missing: () => t('dash.period.missing'),
  order: () => t('dash.period.order'),
  tooLong: () => t('dash.period.tooLong'),
};

/** Choose the report's period: a quick one, or any first and last day (both included). */
export function PeriodForm(props: { period: Period; onChoose: (period: Period) => void }) {
  const [problem, setProblem] = createSignal<PeriodProblem>();
  let firstInput!: HTMLInputElement;
  let lastInput!: HTMLInputElement;
  const errorId = 'dash-period-error';
  const described = () => (problem() ? errorId : undefined);

  function choose(period: Period) {
    setProblem(undefined);
    props.onChoose(period);
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const result = periodFromDays(firstInput.value, lastInput.value);
    if (typeof result === 'string') {
      setProblem(result);
      (isDay(firstInput.value) ? lastInput : firstInput).focus();
      return;
    }
    choose(result);
  }

  return (
    <form class="insight-period" onSubmit={submit} novalidate>
      <fieldset>
        <legend>{t('dash.period.legend')}</legend>
        <div class="insight-period__quick" role="group" aria-label={t('dash.period.quick')}>
          <For each={PRESETS}>
            {(days) => (
              <button type="button" class="button button--small" aria-pressed={presetOf(props.period) === days} onClick={() => choose(lastDays(days))}>
                {t(`dash.period.last${days}`)}
              </button>
            )}
          </For>
        </div>
        <div class="insight-period__days">
          <div class="field">
            <label for="dash-from">{t('dash.period.from')}</label>
            <input ref={firstInput} id="dash-from" name="from" type="date" value={props.period.from} aria-invalid={problem() ? 'true' : undefined} aria-describedby={described()} />
          </div>
          <div class="field">
            <label for="dash-to">{t('dash.period.to')}</label>
            <input ref={lastInput} id="dash-to" name="to" type="date" value={lastDayOf(props.period)} aria-invalid={problem() ? 'true' : undefined} aria-describedby={described()} />
          </div>
          <button type="submit" class="button">
            {t('dash.period.show')}
          </button>
        </div>
        <Show when={problem()}>
          {(p) => (
            <p class="field__error" id={errorId} role="alert">
              {problemWords[p()]()}
            </p>
          )}
        </Show>
      </fieldset>
    </form>
  );
}
