import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Role } from '../../../api/auth/auth.schemas';
import { type MessageKey, t } from '../i18n';
import { useSession } from '../session/session';

interface NavItem {
  href: string;
  label: MessageKey;
  /** Highlight only on this exact path (the area's start page), not on everything below it. */
  end?: boolean;
}

/** Where each role goes most. The console has its own, longer menu (ConsoleNav). */
const navByRole: Partial<Record<Role, NavItem[]>> = {
  driver: [
    { href: '/', label: 'nav.home', end: true },
    { href: '/shop', label: 'nav.shop' },
    { href: '/earn', label: 'nav.earn' },
    { href: '/vouchers', label: 'nav.vouchers' },
  ],
  partner_staff: [
    { href: '/desk', label: 'nav.desk', end: true },
    { href: '/desk/today', label: 'nav.today' },
    { href: '/desk/statement', label: 'nav.statement' },
  ],
  committee: [{ href: '/console', label: 'nav.console' }],
};

/** The signed-in person's main places; a tab bar at the foot of a phone screen. */
export function RoleNav() {
  const session = useSession();
  const items = () => {
    const user = session.user();
    return user ? (navByRole[user.role] ?? []) : [];
  };
  return (
    <Show when={items().length > 0}>
      <nav class="role-nav" aria-label={t('nav.main')}>
        <ul>
          <For each={items()}>
            {(item) => (
              <li>
                <A href={item.href} end={item.end} activeClass="role-nav__link--active" class="role-nav__link">
                  {t(item.label)}
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
    </Show>
  );
}
