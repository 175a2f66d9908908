import { A, action, redirect, useAction } from '@solidjs/router';
import { Show, createSignal, type JSX } from 'solid-js';
import type { ProblemFieldError } from '../api/client';
import { intentKey } from '../lib/intent-key';
import { fieldError } from '../api/error-words';
import { ErrorSummary } from '../components/ErrorSummary';
import { usePageTitle } from '../lib/page-title';
import { useFormSubmission } from '../lib/use-form-submission';
import { type ClaimBody, getMyClaims, submitClaim } from './api';
import { formProblem, onPhotoField } from './form-problem';
import { FieldFrame } from '../components/Field';
import { t } from './messages';
import { PhotoInput } from './PhotoInput';
import { chosenFile, photoRefusal } from './photo-check';
import { formWithPhoto, programmeToday, textField } from './form-values';
import './earn.css';

const form = 'claim';
const id = (name: string) => `${form}-${name}`;

function claimBody(data: FormData): ClaimBody {
  const organiser = textField(data, 'organiser');
  return {
    event: textField(data, 'event'),
    date: textField(data, 'date'),
    // A decimal comma ("2,5") is how many people write it; the API wants a point.
    hours: textField(data, 'hours').replace(',', '.'),
    organiser: organiser || undefined,
  };
}

function asMultipart(body: ClaimBody, photo: File): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(body)) if (value !== undefined) data.append(name, value);
  data.append('photo', photo);
  return data;
}

/**
 * JSON when there is no photo, multipart with one. Sent once: the form waits meanwhile. The
 * Idempotency-Key stays the same while the outcome is unknown (the connection dropped), so
 * sending again then cannot file the hours twice; after a definite answer the next send is new.
 */
export const sendClaim = action(async (data: FormData, idempotencyKey: string) => {
  const body = claimBody(data);
  const photo = chosenFile(data.get('photo'));
  const problems: ProblemFieldError[] = [];
  if (body.date > programmeToday()) problems.push({ path: 'date', message: t('earn.claim.futureDate') });
  const refusal = photo && photoRefusal(photo);
  if (refusal) problems.push({ path: 'photo', message: refusal });
  if (problems.length > 0) throw formProblem(problems);
  let claimId: string;
  try {
    claimId = (await submitClaim(photo ? asMultipart(body, photo) : body, idempotencyKey)).id;
  } catch (error) {
    throw onPhotoField(error);
  }
  throw redirect(`/earn/volunteering?sent=${encodeURIComponent(claimId)}`, { revalidate: getMyClaims.key });
}, 'earn.sendClaim');

/** Claim volunteering hours: what, when, how long, who organised it, and maybe a photo. */
export default function ClaimNew() {
  usePageTitle('earn.claim.title');
  const submission = useFormSubmission(sendClaim);
  const send = useAction(sendClaim);
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
  const fields = () => ({
    event: { id: id('event'), label: t('earn.claim.event') },
    date: { id: id('date'), label: t('earn.claim.date') },
    hours: { id: id('hours'), label: t('earn.claim.hours') },
    organiser: { id: id('organiser'), label: t('earn.claim.organiser') },
    photo: { id: id('photo'), label: t('earn.claim.photo') },
  });

  return (
    <section class="panel panel--narrow">
      <h1>{t('earn.claim.title')}</h1>
      <p class="lede">{t('earn.claim.intro')}</p>
      <form id={form} class="form" onSubmit={onSubmit}>
        <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
        <FieldFrame id={id('event')} label={t('earn.claim.event')} hint={t('earn.claim.eventHint')} error={error('event')}>
          {(control) => <input {...control} name="event" type="text" required maxLength={200} autocomplete="off" />}
        </FieldFrame>
        <FieldFrame id={id('date')} label={t('earn.claim.date')} hint={t('earn.claim.dateHint')} error={error('date')}>
          {(control) => <input {...control} name="date" type="date" required max={programmeToday()} />}
        </FieldFrame>
        <FieldFrame id={id('hours')} label={t('earn.claim.hours')} hint={t('earn.claim.hoursHint')} error={error('hours')}>
          {(control) => (
            <input {...control} name="hours" type="text" inputMode="decimal" required maxLength={5} autocomplete="off" class="earn-short" />
          )}
        </FieldFrame>
        <FieldFrame
          id={id('organiser')}
          label={t('earn.claim.organiser')}
          hint={t('earn.claim.organiserHint')}
          error={error('organiser')}
          optional
        >
          {(control) => <input {...control} name="organiser" type="text" maxLength={200} autocomplete="organization" />}
        </FieldFrame>
        <PhotoInput
          id={id('photo')}
          name="photo"
          label={t('earn.claim.photo')}
          hint={t('earn.claim.photoHint')}
          error={error('photo')}
          optional
          onPhoto={setPhoto}
        />
        <div class="actions">
          <button type="submit" class="button button--primary button--block" disabled={submission.pending()}>
            {submission.pending() ? t('earn.claim.sending') : t('earn.claim.submit')}
          </button>
          <A href="/earn" class="button button--block">
            {t('action.cancel')}
          </A>
        </div>
      </form>
    </section>
  );
}
