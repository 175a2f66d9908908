import { type Accessor, createEffect, createMemo, createSignal, on } from 'solid-js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A work queue read page by page: the first page from a query, further pages on demand, and the
 * local view of what the person has done since — items decided leave, items changed show their
 * new state — without reloading the list under their cursor. A new filter (`resetOn`) starts over.
 */
export function createPagedQueue<T extends { id: string }>(options: {
  first: Accessor<Page<T> | undefined>;
  more: (cursor: string) => Promise<Page<T>>;
  resetOn: Accessor<unknown>;
}) {
  const [later, setLater] = createSignal<Page<T>[]>([]);
  const [gone, setGone] = createSignal<ReadonlySet<string>>(new Set());
  const [changed, setChanged] = createSignal<ReadonlyMap<string, T>>(new Map());
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [moreError, setMoreError] = createSignal<unknown>();

  createEffect(
    on(
      options.resetOn,
      () => {
        setLater([]);
        setGone(new Set<string>());
        setChanged(new Map<string, T>());
        setMoreError(undefined);
      },
      { defer: true },
    ),
  );

  const pages = (): Page<T>[] => {
    const first = options.first();
    return first ? [first, ...later()] : [];
  };

  // Pages are keyed by the last item seen, so an item can appear on two of them once the queue
  // moved underneath: each shows once.
  const items = createMemo(() => {
    const seen = new Set<string>();
    const list: T[] = [];
    for (const page of pages()) {
      for (const item of page.items) {
        if (seen.has(item.id) || gone().has(item.id)) continue;
        seen.add(item.id);
        list.push(changed().get(item.id) ?? item);
      }
    }
    return list;
  });

  const nextCursor = () => pages().at(-1)?.nextCursor ?? null;

  async function loadMore(): Promise<void> {
    const cursor = nextCursor();
    if (!cursor || loadingMore()) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await options.more(cursor);
      setLater((pages) => [...pages, page]);
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  return {
    items,
    hasMore: () => nextCursor() !== null,
    loadMore,
    loadingMore,
    moreError,
    remove: (id: string) => setGone((ids) => new Set(ids).add(id)),
    replace: (item: T) => setChanged((items) => new Map(items).set(item.id, item)),
  };
}

export type PagedQueue<T extends { id: string }> = ReturnType<typeof createPagedQueue<T>>;
