import { Show, createSignal, onMount } from 'solid-js';
import { FieldFrame } from '../components/Field';
import { formatDateTime, formatPoints } from '../i18n';
import { type Honour, confirmVoucher } from './api';
import { t } from './messages';
import { RejectForm } from './RejectForm';
import { isUnanswered, problemCode, voucherProblemWords } from './voucher-words';

export type DeskOutcome = { kind: 'confirmed' | 'rejected'; voucher: Honour };

const amountPattern = /^\d{1,18}(\.\d{1,2})?$/;

/**
 * What the clerk is about to honour, and the final word on it: confirm (in full or for fewer
 * points), or reject with a reason.
 */
export function HonourCard(props: { voucher: Honour; onDone: (outcome: DeskOutcome) => void; onBack: () => void }) {
  let heading: HTMLHeadingElement | undefined;
  let amountInput: HTMLInputElement | undefined;
  const [smaller, setSmaller] = createSignal(false);
  const [amount, setAmount] = createSignal('');
  const [amountError, setAmountError] = createSignal<string>();
  const [problem, setProblem] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  const [rejecting, setRejecting] = createSignal(false);

  onMount(() => heading?.focus());

  async function confirm() {
    if (pending()) return;
    setProblem(undefined);
    setAmountError(undefined);
    const charge = smaller() ? amount().trim() : undefined;
    if (charge !== undefined && (!amountPattern.test(charge) || /^0+(\.0+)?$/.test(charge))) {
      setAmountError(t('desk.amount.invalid'));
      amountInput?.focus();
      return;
    }
    setPending(true);
    try {
      props.onDone({ kind: 'confirmed', voucher: await confirmVoucher(props.voucher.code, charge) });
    } catch (error) {
      if (problemCode(error) === 'invalid-amount') {
        setAmountError(t('desk.amount.tooMuch', { price: formatPoints(props.voucher.price) }));
        amountInput?.focus();
      } else {
        setProblem(isUnanswered(error) ? t('desk.confirm.unanswered') : voucherProblemWords(error));
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <section class="panel desk-honour" aria-labelledby="desk-honour-title">
      <h2 id="desk-honour-title" ref={heading} tabindex="-1">
        {t('desk.honour.title')}
      </h2>
      <p class="desk-honour__give">{props.voucher.faceValue}</p>
      <dl class="facts">
        <div>
          <dt>{t('desk.honour.offer')}</dt>
          <dd>{props.voucher.offerTitle}</dd>
        </div>
        <div>
          <dt>{t('desk.honour.driver')}</dt>
          <dd>{props.voucher.driverName}</dd>
        </div>
        <div>
          <dt>{t('desk.honour.plate')}</dt>
          <dd>{props.voucher.plateNumber ?? t('desk.honour.noPlate')}</dd>
        </div>
        <div>
          <dt>{t('desk.honour.points')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.voucher.price) })}</dd>
        </div>
        <div>
          <dt>{t('desk.honour.expires')}</dt>
          <dd>{formatDateTime(props.voucher.expiresAt)}</dd>
        </div>
        <div>
          <dt>{t('desk.honour.code')}</dt>
          <dd class="desk-code">{props.voucher.code}</dd>
        </div>
      </dl>

      <Show
        when={!rejecting()}
        fallback={
          <RejectForm
            voucher={props.voucher}
            onRejected={() => props.onDone({ kind: 'rejected', voucher: props.voucher })}
            onCancel={() => setRejecting(false)}
          />
        }
      >
        <div class="field desk-honour__smaller">
          <label class="desk-check">
            <input type="checkbox" checked={smaller()} onChange={(event) => setSmaller(event.currentTarget.checked)} />
            {t('desk.amount.toggle')}
          </label>
        </div>
        <Show when={smaller()}>
          <FieldFrame
            id="desk-amount"
            label={t('desk.amount.label')}
            hint={t('desk.amount.hint', { price: formatPoints(props.voucher.price) })}
            error={amountError()}
          >
            {(control) => (
              <input
                ref={amountInput}
                {...control}
                name="amount"
                type="text"
                inputMode="decimal"
                autocomplete="off"
                value={amount()}
                onInput={(event) => setAmount(event.currentTarget.value)}
              />
            )}
          </FieldFrame>
        </Show>
        <Show when={problem()}>
          {(message) => (
            <p class="desk-problem" role="alert">
              {message()}
            </p>
          )}
        </Show>
        <div class="actions">
          <button type="button" class="button button--primary" disabled={pending()} onClick={() => void confirm()}>
            {pending() ? t('desk.confirm.pending') : t('desk.confirm.submit')}
          </button>
          <button type="button" class="button" disabled={pending()} onClick={() => setRejecting(true)}>
            {t('desk.reject.open')}
          </button>
          <button type="button" class="button" disabled={pending()} onClick={() => props.onBack()}>
            {t('desk.honour.back')}
          </button>
        </div>
      </Show>
    </section>
  );
}
