import { Match, Show, Switch, createSignal, onMount } from 'solid-js';
import { newIdempotencyKey } from '../../api/client';
import { type ErrorWords, fieldError } from '../../api/error-words';
import { ErrorSummary } from '../../components/ErrorSummary';
import { fieldId } from '../../components/Field';
import { InputControl, TextAreaControl } from './controls';
import { getDriver } from './api';
import { type ChosenDriver, DriverPicker } from './DriverPicker';
import { type MessageKey, t } from './messages';
import { useSubmit } from './use-submit';

/** Points for a driver, with a reason: what an award and an adjustment both are. */
export interface PointsIntent {
  driver: ChosenDriver;
  amount: string;
  reason: string;
}

export interface PointsDone {
  transferId: string;
  replayed: boolean;
}

/** What makes an award an award and an adjustment an adjustment. */
export interface PointsSpec {
  form: string;
  title: MessageKey;
  intro: MessageKey;
  /** The API's name for the amount, as its field errors name it. */
  amountField: string;
  amountLabel: MessageKey;
  amountHint: MessageKey;
  amountInvalid: MessageKey;
  validAmount: (amount: string) => boolean;
  question: (intent: PointsIntent) => string;
  confirm: MessageKey;
  done: (intent: PointsIntent, result: PointsDone) => string;
  again: MessageKey;
  send: (intent: PointsIntent, idempotencyKey: string) => Promise<PointsDone>;
}

type Step = { step: 'edit' } | { step: 'review'; intent: PointsIntent; key: string } | { step: 'done'; intent: PointsIntent; result: PointsDone };

/**
 * Fill in, read back, confirm, see the result. The Idempotency-Key is made when the read-back
 * opens: retries of that confirmation reuse it, so one intent moves points once.
 */
export function PointsForm(props: { spec: PointsSpec; driverId?: string }) {
  const spec = () => props.spec;
  const [driver, setDriver] = createSignal<ChosenDriver>();
  // Opened for a driver (from their page): that driver is chosen, named when the API can.
  onMount(() => {
    const id = props.driverId;
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return;
    setDriver({ id });
    getDriver(id).then(
      (found) => {
        if (driver()?.id === id) setDriver({ id: found.id, name: found.name, phone: found.phone, plateNumber: found.plateNumber });
      },
      () => {},
    );
  });
  const [amount, setAmount] = createSignal('');
  const [reason, setReason] = createSignal('');
  const [step, setStep] = createSignal<Step>({ step: 'edit' });
  const [localFailure, setLocalFailure] = createSignal<ErrorWords>();
  const submit = useSubmit((intent: PointsIntent, key: string) => spec().send(intent, key));
  const reviewing = () => {
    const s = step();
    return s.step === 'review' ? s : undefined;
  };
  const finished = () => {
    const s = step();
    return s.step === 'done' ? s : undefined;
  };
  const failure = () => localFailure() ?? (step().step === 'edit' ? submit.failure() : undefined);
  const fields = () => ({
    driverId: { id: fieldId(spec().form, 'driverId'), label: t('partnersAdmin.driver.label') },
    [spec().amountField]: { id: fieldId(spec().form, 'amount'), label: t(spec().amountLabel) },
    reason: { id: fieldId(spec().form, 'reason'), label: t('partnersAdmin.points.reason') },
  });

  function review() {
    const chosen = driver();
    const intent = { driver: chosen, amount: amount().trim(), reason: reason().trim() };
    const wrong = [
      !chosen && { path: 'driverId', message: t('partnersAdmin.driver.missing') },
      !spec().validAmount(intent.amount) && { path: spec().amountField, message: t(spec().amountInvalid) },
      intent.reason.length < 3 && { path: 'reason', message: t('partnersAdmin.points.reasonMissing') },
    ].filter((e) => e !== false);
    if (!chosen || wrong.length > 0) {
      setLocalFailure({ message: t('partnersAdmin.form.fix'), fieldErrors: wrong });
      return;
    }
    setLocalFailure(undefined);
    submit.clear();
    setStep({ step: 'review', intent: { ...intent, driver: chosen }, key: newIdempotencyKey() });
  }

  async function confirm(intent: PointsIntent, key: string) {
    const result = await submit.run(intent, key);
    if (result) setStep({ step: 'done', intent, result });
  }

  function startAgain() {
    setDriver(undefined);
    setAmount('');
    setReason('');
    submit.clear();
    setStep({ step: 'edit' });
  }

  return (
    <section class="panel admin-section" aria-labelledby={`${spec().form}-heading`}>
      <h2 id={`${spec().form}-heading`}>{t(spec().title)}</h2>
      <p class="admin-meta">{t(spec().intro)}</p>
      <Switch>
        <Match when={finished()}>
          {(done) => (
            <Result text={spec().done(done().intent, done().result)} replayed={done().result.replayed} again={t(spec().again)} onAgain={startAgain} />
          )}
        </Match>
        <Match when={reviewing()}>
          {(r) => (
            <div class="admin-review">
              <Show when={submit.failure()}>{(words) => <ErrorSummary words={words()} fields={{}} />}</Show>
              <p class="admin-question">{spec().question(r().intent)}</p>
              <p>{t('partnersAdmin.points.because', { reason: r().intent.reason })}</p>
              <div class="actions">
                <FocusedButton disabled={submit.pending()} onClick={() => void confirm(r().intent, r().key)}>
                  {submit.pending() ? t('state.saving') : t(spec().confirm)}
                </FocusedButton>
                <button type="button" class="button" disabled={submit.pending()} onClick={() => setStep({ step: 'edit' })}>
                  {t('partnersAdmin.points.edit')}
                </button>
              </div>
            </div>
          )}
        </Match>
        <Match when={true}>
          <form
            id={spec().form}
            class="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              review();
            }}
          >
            <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
            <DriverPicker form={spec().form} chosen={driver()} onChoose={setDriver} error={fieldError(failure(), 'driverId')} />
            <InputControl
              form={spec().form}
              name="amount"
              inputMode="decimal"
              label={t(spec().amountLabel)}
              hint={t(spec().amountHint)}
              value={amount()}
              onInput={setAmount}
              error={fieldError(failure(), spec().amountField)}
            />
            <TextAreaControl
              form={spec().form}
              name="reason"
              label={t('partnersAdmin.points.reason')}
              hint={t('partnersAdmin.points.reasonHint')}
              value={reason()}
              onInput={setReason}
              maxLength={300}
              error={fieldError(failure(), 'reason')}
            />
            <button type="submit" class="button button--primary">
              {t('partnersAdmin.points.review')}
            </button>
          </form>
        </Match>
      </Switch>
    </section>
  );
}

function FocusedButton(props: { disabled: boolean; onClick: () => void; children: string }) {
  let button: HTMLButtonElement | undefined;
  onMount(() => button?.focus());
  return (
    <button ref={button} type="button" class="button button--primary" disabled={props.disabled} onClick={() => props.onClick()}>
      {props.children}
    </button>
  );
}

function Result(props: { text: string; replayed: boolean; again: string; onAgain: () => void }) {
  let box: HTMLDivElement | undefined;
  onMount(() => box?.focus());
  return (
    <div class="notice admin-result" role="status" tabindex="-1" ref={box}>
      <p>
        <strong>{props.text}</strong>
      </p>
      <Show when={props.replayed}>
        <p>{t('partnersAdmin.points.replayed')}</p>
      </Show>
      <button type="button" class="button button--small" onClick={() => props.onAgain()}>
        {props.again}
      </button>
    </div>
  );
}
