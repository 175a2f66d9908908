import { useSearchParams } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { errorWords } from '../api/error-words';
import { usePageTitle } from '../lib/page-title';
import { dayRange } from '../lib/programme-day';
import { downloadStatementCsv, getStatement } from './api';
import { Loaded } from '../components/Loaded';
import { t } from './messages';
import { PeriodForm } from './PeriodForm';
import { statementDays } from './periods';
import { saveFile } from './save-file';
import { StatementTable } from './StatementTable';
import './desk.css';

/** Confirmed vouchers in a period, their total, and the same as a spreadsheet. */
export default function StatementPage() {
  usePageTitle('desk.statement.title');
  const [params, setParams] = useSearchParams();
  const days = () => statementDays(params);
  const period = () => dayRange(days().first, days().last);
  const [downloading, setDownloading] = createSignal(false);
  const [downloadProblem, setDownloadProblem] = createSignal<string>();

  async function download() {
    setDownloading(true);
    setDownloadProblem(undefined);
    try {
      const blob = await downloadStatementCsv(period());
      saveFile(blob, `milepost-statement-${days().first}-to-${days().last}.csv`);
    } catch (error) {
      setDownloadProblem(errorWords(error).message);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <section class="desk">
      <h1>{t('desk.statement.title')}</h1>
      <PeriodForm first={days().first} last={days().last} onChange={(next) => setParams({ from: next.first, to: next.last })} />
      <div class="actions desk-download">
        <button type="button" class="button" disabled={downloading() || days().first > days().last} onClick={() => void download()}>
          {downloading() ? t('desk.statement.downloading') : t('desk.statement.download')}
        </button>
      </div>
      <Show when={downloadProblem()}>
        {(message) => (
          <p class="desk-problem" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={days().first <= days().last} fallback={<p class="empty">{t('desk.period.backwards')}</p>}>
        <Loaded keys={getStatement.key}>
          <StatementTable period={period()} />
        </Loaded>
      </Show>
    </section>
  );
}
