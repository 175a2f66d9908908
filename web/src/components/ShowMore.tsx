import { Show } from 'solid-js';
import { t } from '../i18n';
import type { Pager } from '../lib/pager';

/** The button under a paged list, with the failure of the last attempt in words. */
export function ShowMore(props: { pager: Pager }) {
  return (
    <Show when={props.pager.hasMore()}>
      <div class="show-more">
        <Show when={props.pager.failure()}>
          {(words) => (
            <p class="show-more__error" role="alert">
              {words().message}
            </p>
          )}
        </Show>
        <button
          type="button"
          class="button button--block"
          disabled={props.pager.loading()}
          onClick={() => void props.pager.loadMore()}
        >
          {props.pager.loading() ? t('state.loadingMore') : t('state.loadMore')}
        </button>
      </div>
    </Show>
  );
}
