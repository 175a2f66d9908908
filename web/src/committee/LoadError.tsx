import { Show } from 'solid-js';
import { errorWords } from '../api/error-words';
import { t } from './messages';

/** A part of a page that could not load, in words, with a way to ask again. */
export function LoadError(props: { error: unknown; onRetry?: () => void }) {
  const words = () => errorWords(props.error);
  return (
    <div class="notice notice--bad" role="alert">
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
