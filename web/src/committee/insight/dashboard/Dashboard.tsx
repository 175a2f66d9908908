import { createAsync, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { usePageTitle } from '../../../lib/page-title';
import { getSummary } from '../api';
import { t } from '../messages';
import { Loaded } from '../../../components/Loaded';
import { BreakdownChart } from './BreakdownChart';
import { GradesChart } from './GradesChart';
import { Headline } from './Headline';
import { PeriodForm } from './PeriodForm';
import { periodOf, type Period } from './period';
import { PointsChart } from './PointsChart';
import '../insight.css';

/** The committee's overview: headline figures for a period and how they moved, day by day. */
export default function Dashboard() {
  usePageTitle('dash.title');
  const [params, setParams] = useSearchParams();
  const period = () => periodOf(params);
  const summary = createAsync(() => getSummary(period()));
  const choose = (next: Period) => setParams({ from: next.from, to: next.to });

  return (
    <div class="insight">
      <h1>{t('dash.title')}</h1>
      <p class="lede">{t('dash.intro')}</p>
      <PeriodForm period={period()} onChoose={choose} />
      <Loaded keys={getSummary.key}>
        <Show when={summary()}>
          {(s) => (
            <>
              <Headline summary={s()} />
              <div class="insight-charts">
                <PointsChart series={s().series} />
                <GradesChart grades={s().grades} />
                <BreakdownChart
                  title={t('dash.category.title')}
                  keyLabel={t('dash.category.label')}
                  rows={s().byCategory.map((row) => ({ ...row, label: t(`insight.category.${row.key}`) }))}
                />
                <BreakdownChart
                  title={t('dash.region.title')}
                  keyLabel={t('dash.region.label')}
                  rows={s().byRegion.map((row) => ({ ...row, label: row.key }))}
                  empty={t('dash.region.empty')}
                />
              </div>
            </>
          )}
        </Show>
      </Loaded>
    </div>
  );
}
