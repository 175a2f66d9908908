import { Show, createSignal, onMount } from 'solid-js';
import { FieldFrame } from '../components/Field';
import { type Honour, rejectVoucher } from './api';
import { t } from './messages';
import { isUnanswered, voucherProblemWords } from './voucher-words';

/** Refusing a voucher needs a reason; the driver's points go back to them. */
export function RejectForm(props: { voucher: Honour; onRejected: () => void; onCancel: () => void }) {
  let reasonBox: HTMLTextAreaElement | undefined;
  const [reason, setReason] = createSignal('');
  const [reasonError, setReasonError] = createSignal<string>();
  const [problem, setProblem] = createSignal<string>();
  const [pending, setPending] = createSignal(false);

  onMount(() => reasonBox?.focus());

  async function reject() {
    if (pending()) return;
    setProblem(undefined);
    const why = reason().trim();
    if (why.length < 3) {
      setReasonError(t('desk.reject.reasonMissing'));
      reasonBox?.focus();
      return;
    }
    setReasonError(undefined);
    setPending(true);
    try {
      await rejectVoucher(props.voucher.id, why);
      props.onRejected();
    } catch (error) {
      setProblem(isUnanswered(error) ? t('desk.reject.unanswered') : voucherProblemWords(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      class="form desk-reject"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void reject();
      }}
    >
      <FieldFrame id="desk-reject-reason" label={t('desk.reject.reason')} hint={t('desk.reject.hint')} error={reasonError()}>
        {(control) => (
          <textarea
            ref={reasonBox}
            {...control}
            name="reason"
            rows={3}
            maxLength={300}
            value={reason()}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        )}
      </FieldFrame>
      <Show when={problem()}>
        {(message) => (
          <p class="desk-problem" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="actions">
        <button type="submit" class="button desk-reject__submit" disabled={pending()}>
          {pending() ? t('desk.reject.pending') : t('desk.reject.submit')}
        </button>
        <button type="button" class="button" disabled={pending()} onClick={() => props.onCancel()}>
          {t('desk.reject.keep')}
        </button>
      </div>
    </form>
  );
}
