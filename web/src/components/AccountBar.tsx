import { A, useLocation } from '@solidjs/router';
import { Show } from 'solid-js';
import { t } from '../i18n';
import { logout, useSession } from '../session/session';
import { useFormSubmission } from '../lib/use-form-submission';

/** Who is signed in, with a way out; or a way in. */
export function AccountBar() {
  const session = useSession();
  const location = useLocation();
  const signingOut = useFormSubmission(logout);

  return (
    <Show
      when={session.user()}
      keyed
      fallback={
        <Show when={location.pathname !== '/login'}>
          <A href="/login" class="button button--small">
            {t('nav.signIn')}
          </A>
        </Show>
      }
    >
      {(user) => (
        <div class="account" aria-label={t('nav.account')} role="group">
          <span class="account__name">{user.name}</span>
          <span class="badge">{t(`role.${user.role}`)}</span>
          <form action={logout} method="post" class="account__signout">
            <button type="submit" class="button button--small" disabled={signingOut.pending()}>
              {signingOut.pending() ? t('nav.signingOut') : t('nav.signOut')}
            </button>
          </form>
          <Show when={signingOut.failure()}>
            {(words) => (
              <p class="account__error" role="alert">
                {words().message}
              </p>
            )}
          </Show>
        </div>
      )}
    </Show>
  );
}
