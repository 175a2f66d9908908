import { type Accessor, createEffect, createSignal, on, onCleanup } from 'solid-js';
import { withRetries } from '../../api/client';
import { fetchImport, type ImportDetail } from './api';

/** How often a running import is asked about. */
export const importPollMs = 1000;

/**
 * The import `id` as it runs: asked again every second while it is `processing`, until it is
 * done or failed (then `onFinished`). A dropped connection is retried; a lasting failure stops
 * the polling and is kept in `error` until `retry`.
 */
export function followImport(options: {
  id: Accessor<string | undefined>;
  /** What is already known (the upload's answer), shown at once instead of waiting a round. */
  known: Accessor<ImportDetail | undefined>;
  onFinished: (result: ImportDetail) => void;
}) {
  const [current, setCurrent] = createSignal<ImportDetail>();
  const [error, setError] = createSignal<unknown>();
  const [attempt, setAttempt] = createSignal(0);

  createEffect(
    on([options.id, attempt], ([id]) => {
      const known = options.known();
      setCurrent(known && known.id === id ? known : undefined);
      setError(undefined);
      if (!id) return;
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;

      const poll = async () => {
        try {
          const next = await withRetries(() => fetchImport(id));
          if (stopped) return;
          setCurrent(next);
          if (next.status === 'processing') timer = setTimeout(poll, importPollMs);
          else options.onFinished(next);
        } catch (caught) {
          if (!stopped) setError(caught);
        }
      };

      const seen = current();
      if (!seen) void poll();
      else if (seen.status === 'processing') timer = setTimeout(poll, importPollMs);
      onCleanup(() => {
        stopped = true;
        clearTimeout(timer);
      });
    }),
  );

  return { current, error, retry: () => setAttempt((n) => n + 1) };
}
