import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Me, Role } from '../../../api/auth/auth.schemas';
import { type MessageKey, t } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useSession } from '../session/session';

export default function Home() {
  usePageTitle('home.title');
  const session = useSession();
  return (
    <Show when={session.user()} fallback={<GuestHome />}>
      {(user) => <MemberHome user={user()} />}
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

interface Capability {
  title: MessageKey;
  body: MessageKey;
}

/** What each role will do in Milepost; each becomes a real area (shop, desk, console) later. */
const capabilities: Record<Role, Capability[]> = {
  driver: [
    { title: 'home.driver.shop.title', body: 'home.driver.shop.body' },
    { title: 'home.driver.points.title', body: 'home.driver.points.body' },
    { title: 'home.driver.earn.title', body: 'home.driver.earn.body' },
  ],
  partner_staff: [
    { title: 'home.partner.desk.title', body: 'home.partner.desk.body' },
    { title: 'home.partner.statement.title', body: 'home.partner.statement.body' },
  ],
  committee: [
    { title: 'home.committee.console.title', body: 'home.committee.console.body' },
    { title: 'home.committee.reports.title', body: 'home.committee.reports.body' },
  ],
  // machine accounts (the safety-records feed) only call the API
  integration: [],
};

function MemberHome(props: { user: Me }) {
  return (
    <>
      <h1>{t('home.greeting', { name: props.user.name })}</h1>
      <section aria-labelledby="home-intro">
        <h2 id="home-intro" class="section-title">
          {t(`home.intro.${props.user.role}`)}
        </h2>
        <ul class="cards">
          <For each={capabilities[props.user.role]}>
            {(capability) => (
              <li class="card">
                <div class="card__head">
                  <h3 class="card__title">{t(capability.title)}</h3>
                  <span class="badge badge--soon">{t('home.comingSoon')}</span>
                </div>
                <p>{t(capability.body)}</p>
              </li>
            )}
          </For>
        </ul>
      </section>
      <section class="panel" aria-labelledby="home-account">
        <h2 id="home-account" class="section-title">
          {t('home.account.title')}
        </h2>
        <dl class="facts">
          <div>
            <dt>{t('home.account.phone')}</dt>
            <dd>{props.user.phone}</dd>
          </div>
          <Show when={props.user.plateNumber}>
            {(plate) => (
              <div>
                <dt>{t('home.account.plateNumber')}</dt>
                <dd>{plate()}</dd>
              </div>
            )}
          </Show>
        </dl>
      </section>
    </>
  );
}
