import { createAsync } from '@solidjs/router';
import { For, Show, createEffect, createSignal, type JSX } from 'solid-js';
import { createPagedQueue, type Page } from './paged-queue';
import { QueueFoot } from './QueueFoot';
import { t } from '../messages';
import { useQueueKeys } from './queue-keys';
import { createQueueSelection } from './selection';

/**
 * The state of one work queue page: its items page by page, the selected one, what was last
 * announced, and `settle` for an item as it stands after a step (it stays while the filter still
 * shows it, otherwise it leaves and the next one takes its place).
 */
export function createWorkQueue<T extends { id: string }, F>(options: {
  filter: () => F;
  load: (filter: F, cursor?: string) => Promise<Page<T>>;
  /** Whether the filter still shows the item as it now stands. */
  shows: (item: T) => boolean;
  cardId: (id: string) => string;
  emptyId: string;
}) {
  const first = createAsync(() => options.load(options.filter()));
  const queue = createPagedQueue<T>({
    first,
    more: (cursor) => options.load(options.filter(), cursor),
    resetOn: () => JSON.stringify(options.filter()),
  });
  let region: HTMLOListElement | undefined;
  const selection = createQueueSelection({
    items: queue.items,
    elementId: options.cardId,
    emptyId: options.emptyId,
    region: () => region,
  });
  const [announcement, announce] = createSignal('');

  function settle(item: T) {
    if (options.shows(item)) queue.replace(item);
    else selection.leave(item.id, () => queue.remove(item.id));
  }

  return {
    queue,
    selection,
    announcement,
    announce,
    settle,
    emptyId: options.emptyId,
    region: () => region,
    setRegion: (element: HTMLOListElement) => (region = element),
  };
}

export type WorkQueueState<T extends { id: string }> = ReturnType<typeof createWorkQueue<T, unknown>>;

interface WorkQueueProps<T extends { id: string }> {
  state: WorkQueueState<T>;
  label: string;
  emptyText: string;
  /** Single-letter shortcuts, each working on the selected item. */
  keys: Record<string, (item: T) => void>;
  children: (item: T) => JSX.Element;
}

/**
 * A work queue on the page: the live announcement of what was done, the list (or the message that
 * it is empty), the count and the next page; j / k and the arrows move, the letters act.
 */
export function WorkQueue<T extends { id: string }>(props: WorkQueueProps<T>) {
  const state = props.state;
  const { queue, selection } = state;

  useQueueKeys({
    region: state.region,
    next: () => {
      if (selection.move(1)) return true;
      if (!queue.hasMore()) return false;
      void queue.loadMore();
    },
    previous: () => selection.move(-1),
    actions: Object.fromEntries(
      Object.entries(props.keys).map(([key, act]) => [
        key,
        () => {
          const item = selection.selected();
          if (item) act(item);
        },
      ]),
    ),
  });

  // Every loaded item decided while more are waiting: the next page comes by itself, and the
  // queue is not called clear until it is.
  createEffect(() => {
    if (queue.items().length === 0 && queue.hasMore() && !queue.loadingMore() && queue.moreError() === undefined) void queue.loadMore();
  });

  return (
    <>
      <p class="queue-announce" role="status">
        {state.announcement()}
      </p>
      <Show
        when={queue.items().length > 0}
        fallback={
          <p id={state.emptyId} class="empty" tabindex="-1">
            {queue.hasMore() ? t('queue.loadingNext') : props.emptyText}
          </p>
        }
      >
        <ol class="queue" ref={state.setRegion} aria-label={props.label}>
          <For each={queue.items()}>{(item) => props.children(item)}</For>
        </ol>
      </Show>
      <QueueFoot queue={queue} count={queue.items().length} />
    </>
  );
}
