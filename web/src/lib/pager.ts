import { createSignal, type Accessor } from 'solid-js';
import { type ErrorWords, errorWords } from '../api/error-words';

interface Paged {
  nextCursor: string | null;
}

/** What the "Show more" button needs of a pager. */
export interface Pager {
  hasMore: Accessor<boolean>;
  loadMore: () => Promise<void>;
  loading: Accessor<boolean>;
  failure: Accessor<ErrorWords | undefined>;
}

/**
 * "Show more" over a cursor-paged list whose first page comes from a query. The pages loaded
 * after the first belong to it: when it changes (other filters, a revalidation) they go with it.
 */
export function createPager<P extends Paged, T>(
  first: Accessor<P | undefined>,
  itemsOf: (page: P) => T[],
  load: (cursor: string) => Promise<P>,
): Pager & { items: Accessor<T[]> } {
  const [more, setMore] = createSignal<{ base: P; items: T[]; next: string | null }>();
  const [loading, setLoading] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorWords>();
  const extra = () => {
    const m = more();
    return m && m.base === first() ? m : undefined;
  };
  const next = () => {
    const e = extra();
    return e ? e.next : (first()?.nextCursor ?? null);
  };

  async function loadMore() {
    const base = first();
    const cursor = next();
    if (!base || !cursor || loading()) return;
    setLoading(true);
    setFailure(undefined);
    try {
      const page = await load(cursor);
      if (base !== first()) return;
      setMore({ base, items: [...(extra()?.items ?? []), ...itemsOf(page)], next: page.nextCursor });
    } catch (error) {
      setFailure(errorWords(error));
    } finally {
      setLoading(false);
    }
  }

  return {
    hasMore: () => next() !== null,
    loadMore,
    loading,
    failure,
    items: () => {
      const page = first();
      return page ? [...itemsOf(page), ...(extra()?.items ?? [])] : [];
    },
  };
}
