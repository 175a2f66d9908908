import { Match, Show, Switch, createSignal, onMount } from 'solid-js';
import { newIdempotencyKey } from '../../api/client';
import { type ErrorWords, errorWords } from '../../api/error-words';
import { ErrorSummary } from '../../components/ErrorSummary';
import { formatDate, formatPoints } from '../../i18n';
import { addDays, dayRange, firstOfMonth, programmeToday } from '../../lib/programme-day';
import { type Partner, type Settlement, recordSettlement } from './api';
import { InputControl } from './controls';
import { problemCode } from '../../api/client';
import { t } from './messages';
import { useSubmit } from './use-submit';

interface Days {
  first: string;
  last: string;
}

/** Last month, the usual period to settle. */
function lastMonth(): Days {
  const last = addDays(firstOfMonth(programmeToday()), -1);
  return { first: firstOfMonth(last), last };
}

/** The API's detail is English only; the one refusal people meet here gets the page's words. */
function settlementWords(error: unknown): ErrorWords {
  const words = errorWords(error);
  if (problemCode(error) === 'conflict') return { ...words, message: t('partnersAdmin.settle.conflict') };
  if (problemCode(error) === 'invalid-period') return { ...words, message: t('partnersAdmin.settle.notEnded') };
  return words;
}

/** The last day a settled `[from, to)` covers, in the programme's calendar. */
const lastDayOf = (to: string) => addDays(programmeToday(new Date(to)), -1);

/**
 * Settles what the partner's desk confirmed in a period: choose the days, read them back, then
 * record it once (one Idempotency-Key per confirmation, so a retry never settles twice).
 */
export function SettlementForm(props: { partner: Partner; onClose: () => void }) {
  const form = () => `settle-${props.partner.id}`;
  const [days, setDays] = createSignal<Days>(lastMonth());
  const [dayError, setDayError] = createSignal<string>();
  const [review, setReview] = createSignal<{ days: Days; key: string }>();
  const [settled, setSettled] = createSignal<Settlement>();
  const submit = useSubmit((d: Days, key: string) => recordSettlement(props.partner.id, dayRange(d.first, d.last), key), settlementWords);

  function openReview() {
    const d = days();
    if (!d.first || !d.last || d.first > d.last) {
      setDayError(t('partnersAdmin.period.backwards'));
      return;
    }
    setDayError(undefined);
    submit.clear();
    setReview({ days: d, key: newIdempotencyKey() });
  }

  async function record() {
    const r = review();
    if (!r) return;
    const done = await submit.run(r.days, r.key);
    if (done) {
      setReview(undefined);
      setSettled(done);
    }
  }

  return (
    <div class="admin-task">
      <h3>{t('partnersAdmin.settle.title', { partner: props.partner.name })}</h3>
      <Switch>
        <Match when={settled()}>
          {(s) => (
            <div class="notice" role="status">
              <p>
                <strong>
                  {s().redemptions > 0
                    ? t('partnersAdmin.settle.done', {
                        points: formatPoints(s().amount),
                        count: s().redemptions,
                        from: formatDate(programmeToday(new Date(s().from))),
                        to: formatDate(lastDayOf(s().to)),
                      })
                    : t('partnersAdmin.settle.nothing', {
                        from: formatDate(programmeToday(new Date(s().from))),
                        to: formatDate(lastDayOf(s().to)),
                      })}
                </strong>
              </p>
              <Show when={s().replayed}>
                <p>{t('partnersAdmin.settle.replayed')}</p>
              </Show>
              <Show when={s().transferId}>{(id) => <p class="admin-meta">{t('partnersAdmin.settle.transfer', { id: id() })}</p>}</Show>
              <button type="button" class="button button--small" onClick={() => props.onClose()}>
                {t('action.close')}
              </button>
            </div>
          )}
        </Match>
        <Match when={review()}>
          {(r) => (
            <ReviewStep
              partner={props.partner}
              days={r().days}
              pending={submit.pending()}
              failure={submit.failure()}
              onConfirm={() => void record()}
              onBack={() => setReview(undefined)}
            />
          )}
        </Match>
        <Match when={true}>
          <form
            id={form()}
            class="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              openReview();
            }}
          >
            <div class="admin-days">
              <InputControl form={form()} name="from" type="date" label={t('partnersAdmin.period.from')} value={days().first} onInput={(first) => setDays((d) => ({ ...d, first }))} />
              <InputControl
                form={form()}
                name="to"
                type="date"
                label={t('partnersAdmin.period.to')}
                value={days().last}
                error={dayError()}
                onInput={(last) => setDays((d) => ({ ...d, last }))}
              />
            </div>
            <div class="actions">
              <button type="submit" class="button button--primary">
                {t('partnersAdmin.settle.review')}
              </button>
              <button type="button" class="button" onClick={() => props.onClose()}>
                {t('action.cancel')}
              </button>
            </div>
          </form>
        </Match>
      </Switch>
    </div>
  );
}

function ReviewStep(props: {
  partner: Partner;
  days: Days;
  pending: boolean;
  failure: ErrorWords | undefined;
  onConfirm: () => void;
  onBack: () => void;
}) {
  let button: HTMLButtonElement | undefined;
  onMount(() => button?.focus());
  return (
    <div class="admin-review">
      <Show when={props.failure}>
        {(words) => <ErrorSummary words={words()} fields={{}} />}
      </Show>
      <p>
        {t('partnersAdmin.settle.question', {
          partner: props.partner.name,
          from: formatDate(props.days.first),
          to: formatDate(props.days.last),
        })}
      </p>
      <p class="admin-meta">{t('partnersAdmin.settle.explain')}</p>
      <div class="actions">
        <button
          ref={button}
          type="button"
          class="button button--primary"
          disabled={props.pending}
          onClick={() => props.onConfirm()}
        >
          {props.pending ? t('state.saving') : t('partnersAdmin.settle.confirm')}
        </button>
        <button type="button" class="button" disabled={props.pending} onClick={() => props.onBack()}>
          {t('action.back')}
        </button>
      </div>
    </div>
  );
}
