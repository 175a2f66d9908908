import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { t } from '../messages';
import type { Report, ReportDetail } from './api';
import { EvidencePhoto, Fact, FiledAtFact, NoteFact, PaidFact, ReportLinkFact, reportPhotoAlt } from './card-facts';
import { InlineForm } from './InlineForm';
import { QueueCard, queueCardId } from './QueueCard';
import { ReportHistory } from './ReportHistory';
import type { ReportSteps } from './report-steps';
import { shortId, stepKey, stepsFor, type ReportStep } from './report-workflow';

export const reportCardId = (id: string) => queueCardId('report', id);

interface ReportCardProps {
  report: Report;
  /** On the report's own page: the full detail, with its history shown open. */
  detail?: ReportDetail;
  selected: boolean;
  steps: ReportSteps;
  onSelect: () => void;
  onCancelStep: () => void;
}

const formInput = {
  forward: { label: 'grid.form.department', hint: 'grid.form.departmentHint', submit: 'grid.form.forward', path: 'department', min: 2, max: 200 },
  reject: { label: 'grid.form.reason', hint: 'grid.form.reasonHint', submit: 'grid.form.reject', path: 'reason', min: 3, max: 500 },
  duplicate: { label: 'grid.form.duplicateOf', hint: 'grid.form.duplicateOfHint', submit: 'grid.form.duplicate', path: 'duplicateOf', min: 36, max: 36 },
} as const;

export function mapLink(lat: number, lng: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=18/${lat}/${lng}`;
}

export function ReportCard(props: ReportCardProps) {
  const report = () => props.report;
  const openStep = () => props.steps.work.formOf(report().id);
  const busy = () => props.steps.work.isBusy(report().id);
  const coordinates = () => `${report().lat.toFixed(6)}, ${report().lng.toFixed(6)}`;

  return (
    <QueueCard
      id={reportCardId(report().id)}
      title={t('grid.cardTitle', { category: t(`grid.category.${report().category}`), name: report().driverName })}
      status={
        <span
          class="status"
          classList={{
            'status--bad': report().status === 'rejected' || report().status === 'duplicate',
            'status--muted': report().status === 'submitted' || report().status === 'closed',
          }}
        >
          {t(`grid.status.${report().status}`)}
        </span>
      }
      selected={props.selected}
      onSelect={() => props.onSelect()}
      error={props.steps.work.error(report().id)}
    >
      <div class="queue-card__body">
        <EvidencePhoto src={report().photoUrl} alt={reportPhotoAlt(report())} />
        <dl class="facts facts--compact">
          <ReportLinkFact report={report()} />
          <FiledAtFact report={report()} />
          <Fact term={t('grid.location')}>
            {coordinates()}{' '}
            <a href={mapLink(report().lat, report().lng)} target="_blank" rel="noopener noreferrer">
              {t('grid.openMap')}
            </a>
          </Fact>
          <NoteFact report={report()} />
          <Show when={report().department}>{(department) => <Fact term={t('grid.department')}>{department()}</Fact>}</Show>
          <Show when={props.detail?.payment}>{(payment) => <PaidFact term={t('grid.paid')} points={payment().points} />}</Show>
        </dl>
      </div>
      <DuplicateHint report={report()} detail={props.detail} />
      <Show
        when={openStep()}
        fallback={
          <Show when={stepsFor[report().status].length > 0}>
            <div class="queue-card__actions">
              <For each={stepsFor[report().status]}>
                {(step) => (
                  <button
                    type="button"
                    class="button button--small"
                    classList={{ 'button--primary': step === 'verify' || stepsFor[report().status].length === 1 }}
                    disabled={busy()}
                    aria-keyshortcuts={stepKey[step]}
                    onClick={() => props.steps.begin(report(), step)}
                  >
                    {busy() ? t('queue.working') : t(`grid.step.${step}`)}
                  </button>
                )}
              </For>
            </div>
          </Show>
        }
      >
        {(step) => <StepForm report={report()} step={step()} steps={props.steps} onCancel={() => props.onCancelStep()} />}
      </Show>
      <ReportHistory id={report().id} history={props.detail?.history} />
    </QueueCard>
  );
}

function StepForm(props: { report: Report; step: ReportStep; steps: ReportSteps; onCancel: () => void }) {
  const input = () => formInput[props.step as keyof typeof formInput];
  return (
    <Show when={input()}>
      {(input) => (
        <InlineForm
          id={`${props.step}-${props.report.id}`}
          label={t(input().label)}
          hint={t(input().hint)}
          submitLabel={t(input().submit)}
          path={input().path}
          minLength={input().min}
          maxLength={input().max}
          initial={props.step === 'duplicate' ? (props.report.likelyDuplicateOf ?? '') : ''}
          onSubmit={(value) => props.steps.submit(props.report, props.step, value)}
          onCancel={() => props.onCancel()}
        />
      )}
    </Show>
  );
}

/** The hint that this report likely repeats another, with a link to that one. */
function DuplicateHint(props: { report: Report; detail?: ReportDetail }) {
  const other = () => props.report.duplicateOf ?? props.report.likelyDuplicateOf;
  return (
    <Show when={other()}>
      {(id) => (
        <p class="queue-card__hint">
          {props.report.status === 'duplicate' ? t('grid.duplicateOf') : t('grid.likelyDuplicateOf')}{' '}
          <A href={`/console/reports/${id()}`}>{t('grid.reportId', { id: shortId(id()) })}</A>
          <Show when={props.detail?.duplicateHint}>
            {(hint) => (
              <>
                {' '}
                {t('grid.duplicateDetail', {
                  metres: hint().distanceMeters,
                  when: formatDateTime(hint().createdAt),
                  status: t(`grid.status.${hint().status}`),
                })}
              </>
            )}
          </Show>
        </p>
      )}
    </Show>
  );
}
