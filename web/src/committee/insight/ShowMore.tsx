import { Show } from 'solid-js';
import { t } from './messages';
import type { Pager } from './pager';

/** The button under a paged list, with the failure of the last attempt in words. */
export function ShowMore(props: { pager: Pager }) {
  return (
    <Show when={props.pager.hasMore()}>
      <div class="insight-more">
        <Show when={props.pager.failure()}>
          {(words) => (
            <p class="insight-alert" role="alert">
              {words().message}
            </p>
          )}
        </Show>
        <button type="button" class="button" disabled={props.pager.loading()} onClick={() => void props.pager.loadMore()}>
          {props.pager.loading() ? t('state.loadingMore') : t('state.loadMore')}
        </button>
      </div>
    </Show>
  );
}
