import { Show } from 'solid-js';
import { formatPoints } from '../../../i18n';
import type { DriverProfile } from '../api';
import { t } from '../messages';

const points = (amount: string) => t('unit.points', { amount: formatPoints(amount) });

export function WalletSection(props: { wallet: DriverProfile['wallet'] }) {
  return (
    <section class="panel insight-section" aria-labelledby="driver-wallet-title">
      <h2 id="driver-wallet-title">{t('driver.wallet.title')}</h2>
      <Show when={props.wallet} fallback={<p class="empty">{t('driver.wallet.none')}</p>}>
        {(wallet) => (
          <dl class="insight-figures">
            <div class="insight-figures__item">
              <dt>{t('driver.wallet.available')}</dt>
              <dd class="insight-figures__value points">{points(wallet().available)}</dd>
            </div>
            <div class="insight-figures__item">
              <dt>{t('driver.wallet.held')}</dt>
              <dd class="insight-figures__value points">{points(wallet().held)}</dd>
            </div>
            <div class="insight-figures__item">
              <dt>{t('driver.wallet.posted')}</dt>
              <dd class="insight-figures__value points">{points(wallet().posted)}</dd>
            </div>
            <div class="insight-figures__item">
              <dt>{t('driver.wallet.lifetime')}</dt>
              <dd class="insight-figures__value points">{points(wallet().lifetimeEarned)}</dd>
            </div>
          </dl>
        )}
      </Show>
    </section>
  );
}
