import { useSearchParams } from '@solidjs/router';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getAppeals } from './api';
import { AppealQueue } from './AppealQueue';
import { appealFilter, appealStatuses } from './filters';
import { QueueFilter } from './QueueFilter';
import { Shortcuts } from './Shortcuts';
import '../committee.css';

/** /console/appeals: drivers asking the committee to look again. */
export default function AppealsPage() {
  usePageTitle('appeals.title');
  const [params, setParams] = useSearchParams();
  const filter = () => appealFilter(params);

  return (
    <section class="queue-page">
      <h1>{t('appeals.title')}</h1>
      <p class="lede">{t('appeals.intro')}</p>
      <div class="queue-page__tools">
        <div class="queue-filters">
          <QueueFilter
            id="appeals-status"
            label={t('queue.filter.status')}
            value={filter().status}
            options={appealStatuses}
            optionLabel={(status) => (status === 'all' ? t('queue.filter.all') : t(`appeals.status.${status}`))}
            onChange={(status) => setParams({ status })}
          />
        </div>
        <Shortcuts
          items={[
            { keys: ['u'], label: 'appeals.shortcut.uphold' },
            { keys: ['d'], label: 'appeals.shortcut.deny' },
          ]}
        />
      </div>
      <Loaded keys={getAppeals.key}>
        <AppealQueue filter={filter()} />
      </Loaded>
    </section>
  );
}
