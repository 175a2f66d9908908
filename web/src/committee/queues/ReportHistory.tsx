import { createAsync } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getReport, type ReportDetail } from './api';

type ReportEvent = ReportDetail['history'][number];

/**
 * A report's steps, first to last: who moved it where and when, with the department, reason or
 * note. Given the history it shows it; otherwise it is a disclosure that loads it when opened, so
 * a page of twenty reports does not ask for twenty histories.
 */
export function ReportHistory(props: { id: string; history?: ReportEvent[] }) {
  const [open, setOpen] = createSignal(false);
  return (
    <Show
      when={props.history}
      fallback={
        <details class="report-history" onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>{t('grid.history')}</summary>
          <Show when={open()}>
            <Loaded keys={getReport.keyFor(props.id)}>
              <LoadedHistory id={props.id} />
            </Loaded>
          </Show>
        </details>
      }
    >
      {(history) => (
        <section class="report-history" aria-label={t('grid.history')}>
          <h3 class="report-history__title">{t('grid.history')}</h3>
          <Timeline events={history()} />
        </section>
      )}
    </Show>
  );
}

function LoadedHistory(props: { id: string }) {
  const detail = createAsync(() => getReport(props.id));
  return <Show when={detail()}>{(detail) => <Timeline events={detail().history} />}</Show>;
}

function Timeline(props: { events: ReportEvent[] }) {
  return (
    <ol class="report-timeline">
      <For each={props.events}>
        {(event) => (
          <li class="report-timeline__event">
            <time datetime={event.at}>{formatDateTime(event.at)}</time>
            <span class="report-timeline__what">
              {event.from ? t('grid.event.moved', { status: t(`grid.status.${event.to}`) }) : t('grid.event.filed')}
              <Show when={event.actor}>{(actor) => <> · {t('grid.event.by', { name: actor().name })}</>}</Show>
            </span>
            <Show when={event.department}>
              {(department) => <span class="report-timeline__note">{t('grid.event.department', { department: department() })}</span>}
            </Show>
            <Show when={event.note}>{(note) => <span class="report-timeline__note">{note()}</span>}</Show>
          </li>
        )}
      </For>
    </ol>
  );
}
