import { A, createAsync, useParams } from '@solidjs/router';
import { createEffect, Show } from 'solid-js';
import { formatDateTime } from '../../../i18n';
import { usePageTitle } from '../../../lib/page-title';
import { getDriver, type DriverProfile } from '../api';
import { t } from '../messages';
import { Loaded } from '../../../components/Loaded';
import { ActivitiesSection } from './ActivitiesSection';
import { RatingSection } from './RatingSection';
import { StatementSection } from './StatementSection';
import { WalletSection } from './WalletSection';
import '../insight.css';

/** One driver as the committee sees them: who, points, grade and why, activity, statement. */
export default function DriverPage() {
  usePageTitle('driver.pageTitle');
  const params = useParams<{ id: string }>();
  const driver = createAsync(() => getDriver(params.id));

  return (
    <div class="insight insight-driver">
      <p class="insight-back">
        <A href="/console/drivers">← {t('driver.back')}</A>
      </p>
      <Loaded keys={getDriver.key} heading={t('driver.pageTitle')}>
        <Show when={driver()}>
          {(d) => (
            <>
              <Profile driver={d()} />
              <WalletSection wallet={d().wallet} />
              <RatingSection driverId={d().id} />
              <ActivitiesSection activities={d().activities} />
              <StatementSection driverId={d().id} />
            </>
          )}
        </Show>
      </Loaded>
    </div>
  );
}

function Profile(props: { driver: DriverProfile }) {
  createEffect(() => {
    document.title = t('app.pageTitle', { page: props.driver.name });
  });
  return (
    <header class="insight-driver__head">
      <h1>{props.driver.name}</h1>
      <dl class="facts">
        <div>
          <dt>{t('driver.phone')}</dt>
          <dd>{props.driver.phone}</dd>
        </div>
        <Show when={props.driver.plateNumber}>
          {(plate) => (
            <div>
              <dt>{t('driver.plate')}</dt>
              <dd>{plate()}</dd>
            </div>
          )}
        </Show>
        <div>
          <dt>{t('driver.joined')}</dt>
          <dd>{formatDateTime(props.driver.joinedAt)}</dd>
        </div>
      </dl>
      <div class="actions">
        <A class="button button--primary" href={`/console/awards?driverId=${encodeURIComponent(props.driver.id)}`}>
          {t('driver.award')}
        </A>
        <A class="button" href={`/console/audit?targetType=driver&targetId=${encodeURIComponent(props.driver.id)}`}>
          {t('driver.auditLink')}
        </A>
      </div>
    </header>
  );
}
