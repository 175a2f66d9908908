import { createSignal, type Accessor } from 'solid-js';
import { type ErrorWords, errorWords } from '../../api/error-words';

interface Paged {
  nextCursor: string | null;
}

export interface Pager {
  hasMore: Accessor<boolean>;
  loading: Accessor<boolean>;
  failure: Accessor<ErrorWords | undefined>;
  loadMore: () => Promise<void>;
}

/**
 * "Show more" over a cursor-paged list whose first page comes from a query. The pages loaded
 * after the first belong to it: new filters or a reload start the list again.
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
      setMore({ base, items: [...(extra()?.items ?? []), ...itemsOf(page)], next: page.nextCursor });
    } catch (error) {
      setFailure(errorWords(error));
    } finally {
      setLoading(false);
    }
  }

  const pager: Pager = { hasMore: () => next() !== null, loading, failure, loadMore };
  return {
    pager,
    items: (): T[] => {
      const page = first();
      return page ? [...itemsOf(page), ...(extra()?.items ?? [])] : [];
    },
  };
}
