import { ErrorBoundary, Suspense, type JSX } from 'solid-js';
import { t } from './messages';
import { SectionError } from './SectionError';

/**
 * One independently loading part of a page: its own loading line, and its own error with a retry
 * of `keys`, so a slow or failed part never holds back the rest.
 */
export function Part(props: { keys: string[]; children: JSX.Element; fallback?: JSX.Element }) {
  return (
    <ErrorBoundary fallback={(error, reset) => <SectionError error={error} keys={props.keys} reset={reset} />}>
      <Suspense fallback={props.fallback === undefined ? <p class="loading">{t('app.loading')}</p> : props.fallback}>
        {props.children}
      </Suspense>
    </ErrorBoundary>
  );
}
