import { createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { getPartners } from './api';
import { CreatePartnerForm } from './CreatePartnerForm';
import { Loaded } from '../../components/Loaded';
import { t } from './messages';
import { PartnerCard } from './PartnerCard';
import './admin.css';

/** Partners: who they are, their desk staff, and settling what their desks confirmed. */
export default function PartnersPage() {
  usePageTitle('partnersAdmin.partners.title');
  return (
    <section class="admin">
      <h1>{t('partnersAdmin.partners.title')}</h1>
      <p class="lede">{t('partnersAdmin.partners.intro')}</p>
      <Loaded keys={getPartners.key}>
        <PartnerList />
      </Loaded>
      <CreatePartnerForm />
    </section>
  );
}

function PartnerList() {
  const partners = createAsync(() => getPartners());
  return (
    <Show when={partners()}>
      {(list) => (
        <Show when={list().items.length > 0} fallback={<p class="empty">{t('partnersAdmin.partners.empty')}</p>}>
          <ul class="admin-list" aria-label={t('partnersAdmin.partners.listLabel')}>
            <For each={list().items}>
              {(partner) => (
                <li>
                  <PartnerCard partner={partner} />
                </li>
              )}
            </For>
          </ul>
        </Show>
      )}
    </Show>
  );
}
