import { revalidate } from '@solidjs/router';
import { ErrorBoundary, Show, Suspense, type JSX } from 'solid-js';
import { errorWords } from '../api/error-words';
import { PageError } from '../components/PageError';
import { t } from './messages';

/**
 * Part of a page that waits for data: "Loading…" meanwhile and, if the API fails, the failure in
 * words with a retry that asks again (`keys`: the queries to revalidate).
 */
export function Loaded(props: { keys: string | string[]; children: JSX.Element }) {
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <PageError
          error={error}
          onRetry={async () => {
            await revalidate(props.keys);
            reset();
          }}
        />
      )}
    >
      <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>{props.children}</Suspense>
    </ErrorBoundary>
  );
}

/** "Show more" under a list that has more pages, with its own failure in words. */
export function ShowMore(props: { pager: { hasMore: () => boolean; more: () => void; loading: () => boolean; error: () => unknown } }) {
  return (
    <Show when={props.pager.hasMore()}>
      <div class="earn-more">
        <Show when={props.pager.error()}>
          {(error) => (
            <p class="field__error" role="alert">
              {errorWords(error()).message}
            </p>
          )}
        </Show>
        <button type="button" class="button button--block" disabled={props.pager.loading()} onClick={() => props.pager.more()}>
          {props.pager.loading() ? t('state.loadingMore') : t('state.loadMore')}
        </button>
      </div>
    </Show>
  );
}
