import { revalidate, useLocation, type RouteSectionProps } from '@solidjs/router';
import { ErrorBoundary, Suspense, createEffect, on, type JSX } from 'solid-js';
import { t } from '../i18n';
import { SessionProvider, getMe } from '../session/session';
import { AccountBar } from './AccountBar';
import { Brand } from './Brand';
import { LanguageSwitcher } from './LanguageSwitcher';
import { PageError } from './PageError';
import { RoleNav } from './RoleNav';

/** The frame of every page: header with brand, account and language, then the page itself. */
export function Layout(props: RouteSectionProps) {
  return (
    <SessionProvider>
      <ErrorBoundary
        fallback={(error, reset) => (
          <Frame header={null}>
            <PageError
              error={error}
              onRetry={async () => {
                // The session query is the usual culprit (API unreachable): ask again, then redraw.
                await revalidate(getMe.key);
                reset();
              }}
            />
          </Frame>
        )}
      >
        <Frame
          header={
            <Suspense>
              <AccountBar />
            </Suspense>
          }
          nav={
            <Suspense>
              <RoleNav />
            </Suspense>
          }
        >
          <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>{props.children}</Suspense>
        </Frame>
      </ErrorBoundary>
    </SessionProvider>
  );
}

function Frame(props: { header: JSX.Element; nav?: JSX.Element; children: JSX.Element }) {
  let main: HTMLElement | undefined;
  const location = useLocation();
  // After a navigation, start reading (and tabbing) at the new page, not at the old link.
  createEffect(on(() => location.pathname, () => main?.focus(), { defer: true }));

  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main?.focus();
        }}
      >
        {t('app.skipToMain')}
      </a>
      <header class="header">
        <div class="header__inner">
          <Brand />
          {props.header}
          <LanguageSwitcher />
        </div>
      </header>
      {props.nav}
      <main id="main" class="main" tabindex="-1" ref={main}>
        {props.children}
      </main>
    </>
  );
}
