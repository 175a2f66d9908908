import { useSearchParams } from '@solidjs/router';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getClaims } from './api';
import { ClaimQueue } from './ClaimQueue';
import { claimFilter, claimOrders, claimStatuses } from './filters';
import { QueueFilter } from './QueueFilter';
import { Shortcuts } from './Shortcuts';
import '../committee.css';

/** /console/claims: the volunteering claims queue. */
export default function ClaimsPage() {
  usePageTitle('claims.title');
  const [params, setParams] = useSearchParams();
  const filter = () => claimFilter(params);

  return (
    <section class="queue-page">
      <h1>{t('claims.title')}</h1>
      <p class="lede">{t('claims.intro')}</p>
      <div class="queue-page__tools">
        <div class="queue-filters">
          <QueueFilter
            id="claims-status"
            label={t('queue.filter.status')}
            value={filter().status}
            options={claimStatuses}
            optionLabel={(status) => t(`claims.filter.${status}`)}
            onChange={(status) => setParams({ status })}
          />
          <QueueFilter
            id="claims-order"
            label={t('queue.filter.order')}
            value={filter().order}
            options={claimOrders}
            optionLabel={(order) => t(`queue.order.${order}`)}
            onChange={(order) => setParams({ order })}
          />
        </div>
        <Shortcuts
          items={[
            { keys: ['a'], label: 'claims.shortcut.approve' },
            { keys: ['r'], label: 'claims.shortcut.reject' },
          ]}
        />
      </div>
      <Loaded keys={getClaims.key}>
        <ClaimQueue filter={filter()} />
      </Loaded>
    </section>
  );
}
