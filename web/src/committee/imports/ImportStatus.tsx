import { Match, Show, Switch } from 'solid-js';
import { formatDateTime, formatNumber } from '../../i18n';
import { LoadError } from '../../components/LoadError';
import { t } from '../messages';
import type { ImportDetail } from './api';
import { RowErrors } from './RowErrors';

/** One import: its progress while it runs, then what it did and the rows it refused. */
export function ImportStatus(props: { current?: ImportDetail; error?: unknown; onRetry: () => void }) {
  return (
    <section class="panel import-status" aria-labelledby="import-status-title">
      <Show when={props.error}>{(error) => <LoadError error={error()} onRetry={() => props.onRetry()} />}</Show>
      <Show when={props.current} fallback={<Show when={!props.error}><p class="loading">{t('app.loading')}</p></Show>}>
        {(run) => (
          <>
            <h2 id="import-status-title">{t('imports.statusTitle', { file: run().fileName })}</h2>
            <p class="lede">{t('imports.uploadedAt', { when: formatDateTime(run().createdAt) })}</p>
            <Switch>
              <Match when={run().status === 'processing'}>
                <Progress run={run()} />
              </Match>
              <Match when={run().status === 'failed'}>
                <p class="notice notice--bad" role="alert">
                  {t('imports.failed', { reason: run().failure ?? '' })}
                </p>
                <Outcome run={run()} />
              </Match>
              <Match when={run().status === 'done'}>
                <p class="notice" role="status">
                  {t('imports.done')}
                </p>
                <Outcome run={run()} />
              </Match>
            </Switch>
          </>
        )}
      </Show>
    </section>
  );
}

function Progress(props: { run: ImportDetail }) {
  return (
    <div class="import-progress">
      <Show
        when={props.run.totalRows}
        fallback={<progress id="import-progress" aria-label={t('imports.progressLabel')} />}
      >
        {(total) => (
          <progress id="import-progress" aria-label={t('imports.progressLabel')} max={total()} value={props.run.processedRows} />
        )}
      </Show>
      <p>
        {props.run.totalRows === null
          ? t('imports.counting')
          : t('imports.progress', { processed: formatNumber(props.run.processedRows), total: formatNumber(props.run.totalRows) })}
      </p>
    </div>
  );
}

function Outcome(props: { run: ImportDetail }) {
  return (
    <>
      <dl class="facts import-outcome">
        <div>
          <dt>{t('imports.rows')}</dt>
          <dd>{formatNumber(props.run.totalRows ?? props.run.processedRows)}</dd>
        </div>
        <div>
          <dt>{t('imports.applied')}</dt>
          <dd>{formatNumber(props.run.applied)}</dd>
        </div>
        <div>
          <dt>{t('imports.skipped')}</dt>
          <dd>{formatNumber(props.run.skipped)}</dd>
        </div>
        <div>
          <dt>{t('imports.errorCount')}</dt>
          <dd>{formatNumber(props.run.errorCount)}</dd>
        </div>
      </dl>
      <Show when={props.run.errorCount > 0} fallback={<p>{t('imports.noErrors')}</p>}>
        <RowErrors result={props.run} />
      </Show>
    </>
  );
}
