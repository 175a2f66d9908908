import { A, action, createAsync, redirect, useSearchParams } from '@solidjs/router';
import { Match, Show, Switch } from 'solid-js';
import { fieldError } from '../api/error-words';
import { ErrorSummary } from '../components/ErrorSummary';
import { formatDate, formatNumber } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useFormSubmission } from '../lib/use-form-submission';
import {
  type SubjectType,
  fileAppeal,
  getClaim,
  getMyAppeals,
  getMyClaims,
  getMyReports,
  getMySafety,
  getReport,
} from './api';
import { textField } from './form-values';
import { FieldFrame } from '../components/Field';
import { categoryLabels, claimStatus, reportStatus, subjectLabels, subjectTypeOf } from './labels';
import { Loaded } from '../components/Loaded';
import { t } from './messages';
import { safetyEventTitle } from './safety-words';
import './earn.css';

const form = 'appeal';
const id = (name: string) => `${form}-${name}`;

export const sendAppeal = action(async (data: FormData | URLSearchParams) => {
  const subjectType = subjectTypeOf(textField(data, 'subjectType'));
  if (!subjectType) throw new Error(t('earn.appeal.noSubject'));
  await fileAppeal({ subjectType, subjectId: textField(data, 'subjectId'), reason: textField(data, 'reason') });
  throw redirect('/earn/appeals?sent=1', {
    revalidate: [getMyAppeals.key, getMyClaims.key, getMyReports.key, getMySafety.key],
  });
}, 'earn.sendAppeal');

/** Appeal a rejected claim, a rejected or duplicate report, or a safety record: say why. */
export default function AppealNew() {
  usePageTitle('earn.appeal.title');
  const [params] = useSearchParams();
  const subject = () => {
    const kind = subjectTypeOf(params.kind);
    const subjectId = typeof params.id === 'string' ? params.id : '';
    return kind && subjectId ? { kind, id: subjectId } : undefined;
  };

  return (
    <section class="panel panel--narrow">
      <h1>{t('earn.appeal.title')}</h1>
      <Show when={subject()} fallback={<NoSubject />}>
        {(chosen) => <AppealForm kind={chosen().kind} id={chosen().id} />}
      </Show>
    </section>
  );
}

function NoSubject() {
  return (
    <>
      <p>{t('earn.appeal.noSubject')}</p>
      <ul class="earn-links">
        <li>
          <A href="/earn/volunteering">{t('earn.claims.title')}</A>
        </li>
        <li>
          <A href="/earn/reports">{t('earn.reports.title')}</A>
        </li>
        <li>
          <A href="/earn">{t('earn.hub.title')}</A>
        </li>
      </ul>
    </>
  );
}

function AppealForm(props: { kind: SubjectType; id: string }) {
  const submission = useFormSubmission(sendAppeal);
  const failure = () => submission.failure();
  const fields = () => ({ reason: { id: id('reason'), label: t('earn.appeal.reason') } });

  return (
    <>
      <h2 class="section-title">{t(subjectLabels[props.kind])}</h2>
      <Loaded keys={[getClaim.key, getReport.key, getMySafety.key]}>
        <SubjectSummary kind={props.kind} id={props.id} />
      </Loaded>
      <form id={form} class="form" action={sendAppeal} method="post">
        <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
        <input type="hidden" name="subjectType" value={props.kind} />
        <input type="hidden" name="subjectId" value={props.id} />
        <FieldFrame id={id('reason')} label={t('earn.appeal.reason')} hint={t('earn.appeal.reasonHint')} error={fieldError(failure(), 'reason')}>
          {(control) => <textarea {...control} name="reason" rows={5} required minLength={10} maxLength={2000} />}
        </FieldFrame>
        <div class="actions">
          <button type="submit" class="button button--primary button--block" disabled={submission.pending()}>
            {submission.pending() ? t('earn.appeal.sending') : t('earn.appeal.submit')}
          </button>
          <A href="/earn/appeals" class="button button--block">
            {t('action.cancel')}
          </A>
        </div>
      </form>
    </>
  );
}

/** What is being appealed, as it stands, so the driver knows they picked the right one. */
function SubjectSummary(props: { kind: SubjectType; id: string }) {
  return (
    <Switch>
      <Match when={props.kind === 'volunteer_claim'}>
        <ClaimSummary id={props.id} />
      </Match>
      <Match when={props.kind === 'grid_report'}>
        <ReportSummary id={props.id} />
      </Match>
      <Match when={props.kind === 'safety_event'}>
        <SafetySummary id={props.id} />
      </Match>
    </Switch>
  );
}

function ClaimSummary(props: { id: string }) {
  const claim = createAsync(() => getClaim(props.id));
  return (
    <Show when={claim()}>
      {(c) => (
        <div class="earn-subject">
          <p>
            <strong>{c().event}</strong> —{' '}
            {t('earn.claims.when', { date: formatDate(c().date), hours: formatNumber(c().hours) })}
          </p>
          <p>{t(claimStatus[c().status].label)}</p>
          <Show when={c().reason}>{(reason) => <p>{t('earn.claims.reason', { reason: reason() })}</p>}</Show>
        </div>
      )}
    </Show>
  );
}

function ReportSummary(props: { id: string }) {
  const report = createAsync(() => getReport(props.id));
  return (
    <Show when={report()}>
      {(r) => (
        <div class="earn-subject">
          <p>
            <strong>{t(categoryLabels[r().category])}</strong> — {formatDate(r().createdAt)}
          </p>
          <p>{t(reportStatus[r().status].label)}</p>
          <Show when={[...r().history].reverse().find((e) => e.to === r().status)?.note}>
            {(note) => <p>{t('earn.claims.reason', { reason: note() })}</p>}
          </Show>
        </div>
      )}
    </Show>
  );
}

function SafetySummary(props: { id: string }) {
  const safety = createAsync(() => getMySafety());
  const event = () => safety()?.recentEvents.find((e) => e.id === props.id);
  return (
    <Show when={event()}>
      {(e) => (
        <div class="earn-subject">
          <p>
            <strong>{safetyEventTitle(e())}</strong>
          </p>
          <Show when={e().note}>{(note) => <p>{note()}</p>}</Show>
        </div>
      )}
    </Show>
  );
}
