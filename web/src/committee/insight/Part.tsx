import { revalidate } from '@solidjs/router';
import { ErrorBoundary, Show, Suspense, type JSX } from 'solid-js';
import { errorWords } from '../../api/error-words';
import { t } from './messages';

/**
 * A part of a page that waits for data: "Loading…" while it does, and the failure in words with
 * "Try again" (asking the named queries again) if it fails. The rest of the page stays usable.
 * A part that holds the page's own heading gives `heading`, shown while it cannot show its own.
 */
export function Part(props: { keys: string | string[]; heading?: string; children: JSX.Element }) {
  const heading = () => (
    <Show when={props.heading}>
      <h1>{props.heading}</h1>
    </Show>
  );
  return (
    <ErrorBoundary
      fallback={(error, reset) => {
        const words = errorWords(error);
        return (
          <>
            {heading()}
            <div class="insight-alert" role="alert">
              <p>{words.message}</p>
              <Show when={words.hint}>{(hint) => <p>{hint()}</p>}</Show>
              <button
                type="button"
                class="button button--small"
                onClick={async () => {
                  await revalidate(props.keys);
                  reset();
                }}
              >
                {t('action.retry')}
              </button>
            </div>
          </>
        );
      }}
    >
      <Suspense
        fallback={
          <>
            {heading()}
            <p class="loading">{t('app.loading')}</p>
          </>
        }
      >
        {props.children}
      </Suspense>
    </ErrorBoundary>
  );
}
