import { A } from '@solidjs/router';
import { For } from 'solid-js';
import { type MessageKey, t } from '../i18n';

interface Section {
  title: MessageKey;
  items: { href: string; label: MessageKey; end?: boolean }[];
}

/** The console's menu. Every page it names is a route in one of the console's route files. */
const sections: Section[] = [
  { title: 'console.nav.overview', items: [{ href: '/console', label: 'console.nav.dashboard', end: true }] },
  {
    title: 'console.nav.queues',
    items: [
      { href: '/console/claims', label: 'console.nav.claims' },
      { href: '/console/reports', label: 'console.nav.reports' },
      { href: '/console/appeals', label: 'console.nav.appeals' },
      { href: '/console/imports', label: 'console.nav.imports' },
    ],
  },
  {
    title: 'console.nav.programme',
    items: [
      { href: '/console/rules', label: 'console.nav.rules' },
      { href: '/console/rating-policy', label: 'console.nav.ratingPolicy' },
      { href: '/console/awards', label: 'console.nav.awards' },
    ],
  },
  {
    title: 'console.nav.market',
    items: [
      { href: '/console/partners', label: 'console.nav.partners' },
      { href: '/console/offers', label: 'console.nav.offers' },
    ],
  },
  {
    title: 'console.nav.people',
    items: [
      { href: '/console/drivers', label: 'console.nav.drivers' },
      { href: '/console/audit', label: 'console.nav.audit' },
    ],
  },
];

export function ConsoleNav() {
  return (
    <nav class="console-nav" aria-label={t('console.nav.label')}>
      <For each={sections}>
        {(section) => (
          <div class="console-nav__section">
            <h2 class="console-nav__title">{t(section.title)}</h2>
            <ul>
              <For each={section.items}>
                {(item) => (
                  <li>
                    <A href={item.href} end={item.end} activeClass="console-nav__link--active" class="console-nav__link">
                      {t(item.label)}
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </For>
    </nav>
  );
}
