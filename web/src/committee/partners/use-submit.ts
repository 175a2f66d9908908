import { createSignal } from 'solid-js';
import { type ErrorWords, errorWords } from '../../api/error-words';

/**
 * One write at a time from a form or a button: whether it is in flight and, if it failed, the
 * failure in words. `run` resolves with the answer, or undefined when it failed (or was already
 * running, so a double click sends once). `words` may say some problems in the page's own terms.
 */
export function useSubmit<A extends unknown[], R>(
  write: (...args: A) => Promise<R>,
  words: (error: unknown) => ErrorWords = errorWords,
) {
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorWords>();

  async function run(...args: A): Promise<R | undefined> {
    if (pending()) return undefined;
    setPending(true);
    setFailure(undefined);
    try {
      return await write(...args);
    } catch (error) {
      setFailure(words(error));
      return undefined;
    } finally {
      setPending(false);
    }
  }

  return { pending, failure, run, clear: () => setFailure(undefined) };
}
