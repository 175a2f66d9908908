import { revalidate } from '@solidjs/router';
import { ErrorBoundary, Suspense, type JSX } from 'solid-js';
import { LoadError } from './LoadError';
import { t } from './messages';

/**
 * A part of a page that waits for data: "Loading…" while it does, and the failure in words with
 * "Try again" (asking the named queries again) if it fails. The rest of the page stays usable.
 */
export function Loaded(props: { keys: string | string[]; children: JSX.Element }) {
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <LoadError
          error={error}
          onRetry={async () => {
            await revalidate(props.keys);
            reset();
          }}
        />
      )}
    >
      <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>{props.children}</Suspense>
    </ErrorBoundary>
  );
}
