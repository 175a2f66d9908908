import { A, action, redirect, useAction } from '@solidjs/router';
import { For, Show, createSignal, type JSX } from 'solid-js';
import type { ProblemFieldError } from '../api/client';
import { intentKey } from '../lib/intent-key';
import { fieldError } from '../api/error-words';
import { ErrorSummary } from '../components/ErrorSummary';
import { usePageTitle } from '../lib/page-title';
import { useFormSubmission } from '../lib/use-form-submission';
import { fileReport, getMyReports } from './api';
import { formProblem, onPhotoField } from './form-problem';
import { formWithPhoto, textField } from './form-values';
import { FieldFrame } from '../components/Field';
import { LocationFields } from './LocationFields';
import { categoryLabels, gridCategories } from './labels';
import { t } from './messages';
import { PhotoInput } from './PhotoInput';
import { chosenFile, photoRefusal } from './photo-check';
import './earn.css';

const form = 'report';
const id = (name: string) => `${form}-${name}`;

/** What the form can tell before sending; the server checks all of it again. */
function missing(data: FormData): ProblemFieldError[] {
  const problems: ProblemFieldError[] = [];
  const photo = chosenFile(data.get('photo'));
  const refusal = photo ? photoRefusal(photo) : t('earn.report.photoMissing');
  if (refusal) problems.push({ path: 'photo', message: refusal });
  if (!textField(data, 'lat')) problems.push({ path: 'lat', message: t('earn.report.latMissing') });
  if (!textField(data, 'lng')) problems.push({ path: 'lng', message: t('earn.report.lngMissing') });
  if (!textField(data, 'category')) problems.push({ path: 'category', message: t('earn.report.categoryMissing') });
  return problems;
}

/**
 * Sends the form as it is (multipart: photo, lat, lng, category, note). The Idempotency-Key stays
 * the same while the outcome is unknown (the connection dropped), so sending again then cannot
 * file the report twice; after a definite answer the next send is new.
 */
export const sendReport = action(async (data: FormData, idempotencyKey: string) => {
  const problems = missing(data);
  if (problems.length > 0) throw formProblem(problems);
  let reportId: string;
  try {
    reportId = (await fileReport(data, idempotencyKey)).id;
  } catch (error) {
    throw onPhotoField(error);
  }
  throw redirect(`/earn/reports/${encodeURIComponent(reportId)}?sent=1`, { revalidate: getMyReports.key });
}, 'earn.sendReport');

/**
 * Report a road problem: a photo, where it is (the phone's position or typed in), what kind and
 * a note. Nothing typed is lost when sending fails: the form stays as it was, with the problem.
 */
export default function ReportNew() {
  usePageTitle('earn.report.title');
  const submission = useFormSubmission(sendReport);
  const send = useAction(sendReport);
  const [photo, setPhoto] = createSignal<File | null>(null);
  const key = intentKey();
  const onSubmit: JSX.EventHandler<HTMLFormElement, SubmitEvent> = (event) => {
    event.preventDefault();
    if (submission.pending()) return;
    // A failure stays on the submission, where the form reads it; the key only needs to know of it.
    send(formWithPhoto(event.currentTarget, photo()), key.next()).catch(key.failed);
  };
  const failure = () => submission.failure();
  const error = (name: string) => fieldError(failure(), name);
  const [category, setCategory] = createSignal('');
  const fields = () => ({
    photo: { id: id('photo'), label: t('earn.report.photo') },
    lat: { id: id('lat'), label: t('earn.report.lat') },
    lng: { id: id('lng'), label: t('earn.report.lng') },
    category: { id: id('category'), label: t('earn.report.category') },
    note: { id: id('note'), label: t('earn.report.note') },
  });

  return (
    <section class="panel panel--narrow">
      <h1>{t('earn.report.title')}</h1>
      <p class="lede">{t('earn.report.intro')}</p>
      <form id={form} class="form" onSubmit={onSubmit} novalidate>
        <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
        <PhotoInput
          id={id('photo')}
          name="photo"
          label={t('earn.report.photo')}
          hint={t('earn.report.photoHint')}
          error={error('photo')}
          capture="environment"
          onPhoto={setPhoto}
        />
        <LocationFields form={form} latError={error('lat')} lngError={error('lng')} />
        <FieldFrame id={id('category')} label={t('earn.report.category')} error={error('category')}>
          {(control) => (
            <select {...control} name="category" value={category()} onChange={(event) => setCategory(event.currentTarget.value)}>
              <option value="">{t('earn.report.categoryChoose')}</option>
              <For each={gridCategories}>{(value) => <option value={value}>{t(categoryLabels[value])}</option>}</For>
            </select>
          )}
        </FieldFrame>
        <FieldFrame id={id('note')} label={t('earn.report.note')} hint={t('earn.report.noteHint')} error={error('note')} optional>
          {(control) => <textarea {...control} name="note" rows={3} maxLength={1000} />}
        </FieldFrame>
        <div class="actions">
          <button type="submit" class="button button--primary button--block" disabled={submission.pending()}>
            {submission.pending() ? t('earn.report.sending') : t('earn.report.submit')}
          </button>
          <A href="/earn" class="button button--block">
            {t('action.cancel')}
          </A>
        </div>
      </form>
    </section>
  );
}
