import { type Action, useSubmission, useSubmissions } from '@solidjs/router';
import { onCleanup } from 'solid-js';
import { type ErrorWords, errorWords } from '../api/error-words';

/**
 * The state a form needs from its action: whether the latest submission is in flight and, if it
 * failed, the failure in words. Submissions live on the router, so they are cleared when the form
 * goes away; coming back to the page starts clean instead of replaying an old error.
 */
export function useFormSubmission<T extends unknown[], U>(formAction: Action<T, U>) {
  const latest = useSubmission(formAction);
  const all = useSubmissions(formAction);
  onCleanup(() => {
    for (const submission of [...all]) submission.clear();
  });

  return {
    pending: (): boolean => latest.pending === true,
    failure: (): ErrorWords | undefined =>
      latest.error === undefined ? undefined : errorWords(latest.error),
  };
}
