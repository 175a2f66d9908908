import { Show } from 'solid-js';
import { errorWords } from '../api/error-words';
import { t } from '../i18n';

/**
 * A part of a page that could not load, in words, with a way to ask again. Its heading is an h2:
 * the page around it keeps its own h1.
 */
export function LoadError(props: { error: unknown; onRetry?: () => void }) {
  const words = () => errorWords(props.error);
  return (
    <div class="load-error" role="alert">
      <h2 class="load-error__title">{t('error.sectionTitle')}</h2>
      <p>{words().message}</p>
      <Show when={words().hint}>{(hint) => <p>{hint()}</p>}</Show>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class="button button--small" onClick={() => retry()()}>
            {t('action.retry')}
          </button>
        )}
      </Show>
    </div>
  );
}
