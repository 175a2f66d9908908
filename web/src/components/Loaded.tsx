import { revalidate } from '@solidjs/router';
import { ErrorBoundary, Show, Suspense, type JSX } from 'solid-js';
import { t } from '../i18n';
import { LoadError } from './LoadError';

interface LoadedProps {
  /** The queries to ask again on "Try again". */
  keys: string | string[];
  /** Shown while loading instead of "Loading…" (`null` for nothing). */
  fallback?: JSX.Element;
  /** For a part that holds the page's own h1: that heading, shown while the part cannot show it. */
  heading?: string;
  children: JSX.Element;
}

/**
 * One independently loading part of a page: "Loading…" while it waits, and the failure in words
 * with "Try again" (asking `keys` again) if it fails, so the rest of the page stays usable.
 */
export function Loaded(props: LoadedProps) {
  const heading = () => (
    <Show when={props.heading}>
      <h1>{props.heading}</h1>
    </Show>
  );
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <>
          {heading()}
          <LoadError
            error={error}
            onRetry={async () => {
              await revalidate(props.keys);
              reset();
            }}
          />
        </>
      )}
    >
      <Suspense
        fallback={
          <>
            {heading()}
            {props.fallback === undefined ? <p class="loading">{t('app.loading')}</p> : props.fallback}
          </>
        }
      >
        {props.children}
      </Suspense>
    </ErrorBoundary>
  );
}
