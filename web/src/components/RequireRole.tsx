import { A, Navigate, useLocation } from '@solidjs/router';
import { Match, Switch, type JSX } from 'solid-js';
import type { Role } from '../../../api/auth/auth.schemas';
import { t } from '../i18n';
import { useSession } from '../session/session';

/**
 * An area of the app for some roles only. Nobody signed in: off to sign in, and back here after.
 * Signed in with another role: said in words, with a way home (the API would refuse anyway).
 */
export function RequireRole(props: { roles: Role[]; children: JSX.Element }) {
  const session = useSession();
  const location = useLocation();
  const next = () => encodeURIComponent(location.pathname + location.search);

  return (
    <Switch>
      <Match when={session.user() === null}>
        <Navigate href={`/login?next=${next()}`} />
      </Match>
      {/* Keyed: a sign-in or sign-out replaces the user; children never read a stale one. */}
      <Match when={session.user()} keyed>
        {(user) => (
          <Switch>
            <Match when={props.roles.includes(user.role)}>{props.children}</Match>
            <Match when={true}>
              <section class="panel" role="alert">
                <h1>{t('access.title')}</h1>
                <p>{t('access.body', { role: t(`role.${user.role}`) })}</p>
                <A href="/" class="button">
                  {t('notFound.home')}
                </A>
              </section>
            </Match>
          </Switch>
        )}
      </Match>
    </Switch>
  );
}
