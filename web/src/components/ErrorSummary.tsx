import { For, Show, onMount } from 'solid-js';
import type { ErrorWords } from '../api/error-words';
import { t } from '../i18n';

interface ErrorSummaryProps {
  words: ErrorWords;
  /** Input ids and labels by API path, so each field error links to its input. */
  fields: Record<string, { id: string; label: string }>;
}

/**
 * The failure of a form, at the top of it. It takes focus when it appears so that keyboard and
 * screen-reader users land on it; each field error links to (and focuses) its input.
 */
export function ErrorSummary(props: ErrorSummaryProps) {
  let box: HTMLDivElement | undefined;
  onMount(() => box?.focus());

  return (
    <div class="error-summary" ref={box} tabindex="-1" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" class="error-summary__title">
        {t('error.summaryTitle')}
      </h2>
      <p>{props.words.message}</p>
      <Show when={props.words.hint}>{(hint) => <p>{hint()}</p>}</Show>
      <Show when={props.words.fieldErrors.length > 0}>
        <ul class="error-summary__list">
          <For each={props.words.fieldErrors}>
            {(error) => (
              <li>
                <Show
                  when={props.fields[error.path]}
                  fallback={error.path ? `${error.path}: ${error.message}` : error.message}
                >
                  {(field) => (
                    <a
                      href={`#${field().id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(field().id)?.focus();
                      }}
                    >
                      {field().label}: {error.message}
                    </a>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
