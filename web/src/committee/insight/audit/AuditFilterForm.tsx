import { createSignal, For, Show } from 'solid-js';
import type { MessageKey } from '../../../i18n';
import type { AuditFilters } from '../api';
import { t } from '../messages';
import { type FilterName, filterNames, invalid } from './filters';

const labels: Record<FilterName, { label: MessageKey; hint?: MessageKey; bad?: MessageKey }> = {
  action: { label: 'audit.filter.action', hint: 'audit.filter.actionHint', bad: 'audit.filter.badAction' },
  actorId: { label: 'audit.filter.actorId', bad: 'audit.filter.badId' },
  targetType: { label: 'audit.filter.targetType', hint: 'audit.filter.targetTypeHint', bad: 'audit.filter.badTargetType' },
  targetId: { label: 'audit.filter.targetId' },
};

/** Filters for the log; applying them puts them in the address. */
export function AuditFilterForm(props: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const [wrong, setWrong] = createSignal<FilterName[]>([]);
  let form!: HTMLFormElement;

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(form);
    const filters: AuditFilters = {};
    const bad: FilterName[] = [];
    for (const name of filterNames) {
      const value = String(data.get(name) ?? '').trim();
      if (invalid(name, value)) bad.push(name);
      else if (value) filters[name] = value;
    }
    setWrong(bad);
    if (bad.length > 0) {
      form.querySelector<HTMLInputElement>(`#audit-${bad[0]}`)?.focus();
      return;
    }
    props.onApply(filters);
  }

  function clear() {
    form.reset();
    for (const input of form.querySelectorAll('input')) input.value = '';
    setWrong([]);
    props.onApply({});
  }

  return (
    <form ref={form} class="insight-filters" onSubmit={submit} novalidate>
      <fieldset>
        <legend>{t('audit.filters')}</legend>
        <div class="insight-filters__fields">
          <For each={filterNames}>
            {(name) => {
              const id = `audit-${name}`;
              const isWrong = () => wrong().includes(name);
              const describedBy = () =>
                [labels[name].hint ? `${id}-hint` : '', isWrong() ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
              return (
                <div class="field" classList={{ 'field--invalid': isWrong() }}>
                  <label for={id}>{t(labels[name].label)}</label>
                  <Show when={labels[name].hint}>
                    {(hint) => (
                      <p class="field__hint" id={`${id}-hint`}>
                        {t(hint())}
                      </p>
                    )}
                  </Show>
                  <Show when={isWrong() && labels[name].bad}>
                    {(bad) => (
                      <p class="field__error" id={`${id}-error`}>
                        {t(bad())}
                      </p>
                    )}
                  </Show>
                  <input
                    id={id}
                    name={name}
                    type="text"
                    value={props.filters[name] ?? ''}
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck={false}
                    maxLength={100}
                    aria-invalid={isWrong() ? 'true' : undefined}
                    aria-describedby={describedBy()}
                  />
                </div>
              );
            }}
          </For>
        </div>
        <div class="actions">
          <button type="submit" class="button button--primary">
            {t('audit.filter.apply')}
          </button>
          <button type="button" class="button" onClick={clear}>
            {t('audit.filter.clear')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
