import { Show } from 'solid-js';
import { LoadError } from '../../components/LoadError';
import { t } from '../messages';
import type { PagedQueue } from './paged-queue';

/** Under a queue: how many are shown, and the next page when there is one. */
export function QueueFoot<T extends { id: string }>(props: { queue: PagedQueue<T>; count: number }) {
  return (
    <div class="queue-foot">
      <Show when={props.count > 0}>
        <p class="queue-foot__count">
          {props.queue.hasMore() ? t('queue.countMore', { count: props.count }) : t('queue.count', { count: props.count })}
        </p>
      </Show>
      <Show when={props.queue.moreError()}>
        {(error) => <LoadError error={error()} onRetry={() => void props.queue.loadMore()} />}
      </Show>
      <Show when={props.queue.hasMore()}>
        <button
          type="button"
          class="button button--small"
          disabled={props.queue.loadingMore()}
          onClick={() => void props.queue.loadMore()}
        >
          {props.queue.loadingMore() ? t('state.loadingMore') : t('state.loadMore')}
        </button>
      </Show>
    </div>
  );
}
