import { revalidate, useSearchParams } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getImports, type ImportDetail } from './api';
import { CsvFormat } from './CsvFormat';
import { followImport } from './follow-import';
import { ImportStatus } from './ImportStatus';
import { PastImports } from './PastImports';
import { UploadForm } from './UploadForm';
import '../committee.css';

/** /console/imports: attendance CSVs in, approved and paid claims out, bad rows reported. */
export default function ImportsPage() {
  usePageTitle('imports.title');
  const [params, setParams] = useSearchParams();
  const [started, setStarted] = createSignal<ImportDetail>();
  const id = () => (typeof params.import === 'string' ? params.import : undefined);
  const run = followImport({
    id,
    known: started,
    onFinished: () => void revalidate(getImports.key),
  });

  return (
    <section class="imports-page">
      <h1>{t('imports.title')}</h1>
      <p class="lede">{t('imports.intro')}</p>
      <UploadForm
        onStarted={(detail) => {
          setStarted(detail);
          setParams({ import: detail.id });
          void revalidate(getImports.key);
        }}
      />
      <Show when={id()}>
        <ImportStatus current={run.current()} error={run.error()} onRetry={run.retry} />
      </Show>
      <CsvFormat />
      <section aria-labelledby="past-imports-title">
        <h2 id="past-imports-title">{t('imports.pastTitle')}</h2>
        <Loaded keys={getImports.key}>
          <PastImports />
        </Loaded>
      </section>
    </section>
  );
}
