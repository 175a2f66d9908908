import { createSignal, type Accessor } from 'solid-js';
import { type ErrorWords, errorWords } from '../api/error-words';

interface Paged {
  nextCursor: string | null;
}

/**
 * "Show more" over a cursor-paged list whose first page comes from a query. When the first page
 * changes (other filters, a revalidation), the pages loaded after it go with it.
 */
export function createPager<P extends Paged, T>(
  first: Accessor<P | undefined>,
  itemsOf: (page: P) => T[],
  load: (cursor: string) => Promise<P>,
) {
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
      const before = extra()?.items ?? [];
      setMore({ base, items: [...before, ...itemsOf(page)], next: page.nextCursor });
    } catch (error) {
      setFailure(errorWords(error));
    } finally {
      setLoading(false);
    }
  }

  const pager: Pager = { hasMore: () => next() !== null, loadMore, loading, failure };
  return {
    ...pager,
    items: (): T[] => {
      const page = first();
      return page ? [...itemsOf(page), ...(extra()?.items ?? [])] : [];
    },
  };
}

/** What the "Show more" button needs of a pager. */
export interface Pager {
  hasMore: () => boolean;
  loadMore: () => Promise<void>;
  loading: Accessor<boolean>;
  failure: Accessor<ErrorWords | undefined>;
}
