import { A, Navigate } from '@solidjs/router';
import { Match, Show, Switch, lazy } from 'solid-js';
import type { Me } from '../../../api/auth/auth.schemas';
import { t } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useSession } from '../session/session';

export default function Home() {
  usePageTitle('home.title');
  const session = useSession();
  return (
    // Keyed: the page below may load lazily and read the user later, after a sign-in has
    // replaced it; it gets the value, not an accessor that may have gone stale by then.
    <Show when={session.user()} keyed fallback={<GuestHome />}>
      {(user) => <MemberHome user={user} />}
    </Show>
  );
}

function GuestHome() {
  return (
    <section class="panel hero">
      <h1>{t('home.guest.title')}</h1>
      <p>{t('home.guest.earn')}</p>
      <p>{t('home.guest.spend')}</p>
      <div class="actions">
        <A href="/login" class="button button--primary">
          {t('home.guest.signIn')}
        </A>
        <A href="/register" class="button">
          {t('home.guest.register')}
        </A>
      </div>
    </section>
  );
}

const DriverHome = lazy(() => import('../driver/DriverHome'));

/** Each role's start page: the driver's own home; staff and committee go to their desks. */
function MemberHome(props: { user: Me }) {
  return (
    <Switch>
      <Match when={props.user.role === 'driver'}>
        <DriverHome user={props.user} />
      </Match>
      <Match when={props.user.role === 'partner_staff'}>
        <Navigate href="/desk" />
      </Match>
      <Match when={props.user.role === 'committee'}>
        <Navigate href="/console" />
      </Match>
      <Match when={props.user.role === 'integration'}>
        <section class="panel">
          <h1>{t('home.greeting', { name: props.user.name })}</h1>
          <p>{t('home.intro.integration')}</p>
        </section>
      </Match>
    </Switch>
  );
}
