import { createSignal, type Accessor } from 'solid-js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list that starts with its first page (from a query, so it revalidates) and grows by "Show
 * more". The extra pages belong to the first page they followed: when it is fetched again (after
 * a new claim, say) they are dropped. The first page is only read where the list is shown, inside
 * its Suspense and error boundary.
 */
export function createPager<T>(first: Accessor<Page<T> | undefined>, fetchPage: (cursor: string) => Promise<Page<T>>) {
  const [extra, setExtra] = createSignal<{ after: Page<T>; pages: Page<T>[] }>();
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  const morePages = () => {
    const start = first();
    const grown = extra();
    return start && grown?.after === start ? grown.pages : [];
  };
  const items = () => [...(first()?.items ?? []), ...morePages().flatMap((page) => page.items)];
  const nextCursor = () => {
    const pages = morePages();
    return pages.length > 0 ? pages[pages.length - 1]!.nextCursor : (first()?.nextCursor ?? null);
  };

  async function more() {
    const start = first();
    const cursor = nextCursor();
    if (!start || !cursor || loading()) return;
    setLoading(true);
    setError(undefined);
    try {
      const page = await fetchPage(cursor);
      setExtra({ after: start, pages: [...morePages(), page] });
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  }

  return { items, hasMore: () => nextCursor() !== null, more, loading, error };
}
