import { useSearchParams } from '@solidjs/router';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getReports } from './api';
import { gridCategories, reportFilter, reportStatuses } from './filters';
import { QueueFilter } from './QueueFilter';
import { ReportQueue } from './ReportQueue';
import { Shortcuts } from './Shortcuts';
import '../committee.css';

/** /console/reports: the grid reports queue. */
export default function ReportsPage() {
  usePageTitle('grid.title');
  const [params, setParams] = useSearchParams();
  const filter = () => reportFilter(params);

  return (
    <section class="queue-page">
      <h1>{t('grid.title')}</h1>
      <p class="lede">{t('grid.intro')}</p>
      <div class="queue-page__tools">
        <div class="queue-filters">
          <QueueFilter
            id="reports-status"
            label={t('queue.filter.status')}
            value={filter().status}
            options={[...reportStatuses, 'all'] as const}
            optionLabel={(status) => (status === 'all' ? t('queue.filter.all') : t(`grid.status.${status}`))}
            onChange={(status) => setParams({ status })}
          />
          <QueueFilter
            id="reports-category"
            label={t('grid.filter.category')}
            value={filter().category}
            options={['', ...gridCategories] as const}
            optionLabel={(category) => (category === '' ? t('grid.filter.anyCategory') : t(`grid.category.${category}`))}
            onChange={(category) => setParams({ category })}
          />
        </div>
        <Shortcuts
          items={[
            { keys: ['v'], label: 'grid.shortcut.verify' },
            { keys: ['f'], label: 'grid.shortcut.forward' },
            { keys: ['s'], label: 'grid.shortcut.resolve' },
            { keys: ['c'], label: 'grid.shortcut.close' },
            { keys: ['r'], label: 'grid.shortcut.reject' },
            { keys: ['d'], label: 'grid.shortcut.duplicate' },
          ]}
        />
      </div>
      <Loaded keys={getReports.key}>
        <ReportQueue filter={filter()} />
      </Loaded>
    </section>
  );
}
