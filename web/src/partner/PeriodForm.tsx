import { Show, createSignal } from 'solid-js';
import { t } from './messages';

/** From and to days, both included; nothing changes until "Show" and only if they are in order. */
export function PeriodForm(props: { first: string; last: string; onChange: (days: { first: string; last: string }) => void }) {
  let toInput: HTMLInputElement | undefined;
  const [problem, setProblem] = createSignal<string>();

  return (
    <form
      class="form desk-period"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const first = String(form.get('from') ?? '');
        const last = String(form.get('to') ?? '');
        if (!first || !last || first > last) {
          setProblem(t('desk.period.backwards'));
          toInput?.focus();
          return;
        }
        setProblem(undefined);
        props.onChange({ first, last });
      }}
    >
      <div class="desk-period__days">
        <div class="field">
          <label for="desk-period-from">{t('desk.period.from')}</label>
          <input id="desk-period-from" name="from" type="date" value={props.first} required />
        </div>
        <div class="field" classList={{ 'field--invalid': Boolean(problem()) }}>
          <label for="desk-period-to">{t('desk.period.to')}</label>
          <Show when={problem()}>
            {(message) => (
              <p class="field__error" id="desk-period-error">
                {message()}
              </p>
            )}
          </Show>
          <input
            ref={toInput}
            id="desk-period-to"
            name="to"
            type="date"
            value={props.last}
            required
            aria-invalid={problem() ? 'true' : undefined}
            aria-describedby={problem() ? 'desk-period-error' : undefined}
          />
        </div>
      </div>
      <button type="submit" class="button button--primary">
        {t('desk.period.show')}
      </button>
    </form>
  );
}
