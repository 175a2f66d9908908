import { createSignal } from 'solid-js';
import { errorWords, fieldError, type ErrorWords } from '../../api/error-words';

/**
 * Sending a form of one input: one send at a time; a failure is kept in words, shown next to the
 * input (its complaint about `path`, else the message) and the input takes focus again.
 */
export function createInputSubmission(options: { path: () => string; focus: () => void }) {
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorWords>();

  const error = () => {
    const words = failure();
    return words ? (fieldError(words, options.path()) ?? words.message) : undefined;
  };

  async function send(call: () => Promise<void>) {
    if (pending()) return;
    setPending(true);
    setFailure(undefined);
    try {
      await call();
    } catch (caught) {
      setFailure(errorWords(caught));
      options.focus();
    } finally {
      setPending(false);
    }
  }

  /** Refuses before sending, with `message` as the input's error. */
  function refuse(message: string) {
    setFailure({ message, fieldErrors: [] });
    options.focus();
  }

  return { pending, failure, error, send, refuse };
}
