import { revalidate } from '@solidjs/router';
import { Show, createSignal, onMount } from 'solid-js';
import { errorWords } from '../api/error-words';
import { formatPoints } from '../i18n';
import { type Redemption, cancelVoucher, getCatalog, getVoucher, getVouchers, getWallet } from './api';
import { t } from './messages';
import { problemCode } from './refusal';

/**
 * Cancelling an unused voucher, after asking: the held points go back to the balance and the
 * voucher back to the partner's stock. `onOutcome` hears, in words, what became of the voucher;
 * the page says it where it outlives this control.
 */
export function CancelVoucher(props: { voucher: Redemption; onOutcome: (words: string) => void }) {
  const [asking, setAsking] = createSignal(false);
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<string>();
  let askButton: HTMLButtonElement | undefined;

  async function cancel() {
    setPending(true);
    setFailure(undefined);
    try {
      await cancelVoucher(props.voucher.id);
      props.onOutcome(t('shop.cancel.done', { price: formatPoints(props.voucher.price) }));
      await revalidate([getVouchers.key, getVoucher.key, getWallet.key, getCatalog.key]);
    } catch (error) {
      if (problemCode(error) === 'redemption-not-open') {
        // Used or ended meanwhile: say so where it outlives this card, and show what it is now.
        props.onOutcome(t('shop.cancel.notOpen'));
        await revalidate([getVouchers.key, getVoucher.key]);
      } else {
        setFailure(errorWords(error).message);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <Show
      when={asking()}
      fallback={
        <button type="button" class="button button--small" ref={askButton} onClick={() => setAsking(true)}>
          {t('shop.cancel.ask')}
          <span class="visually-hidden">: {props.voucher.offerTitle}</span>
        </button>
      }
    >
      <CancelQuestion
        voucher={props.voucher}
        pending={pending()}
        failure={failure()}
        onYes={() => void cancel()}
        onNo={() => {
          setAsking(false);
          setFailure(undefined);
          queueMicrotask(() => askButton?.focus());
        }}
      />
    </Show>
  );
}

function CancelQuestion(props: {
  voucher: Redemption;
  pending: boolean;
  failure: string | undefined;
  onYes: () => void;
  onNo: () => void;
}) {
  let question: HTMLParagraphElement | undefined;
  const id = `cancel-${props.voucher.id}`;
  onMount(() => question?.focus());
  return (
    <div class="shop-ask" role="group" aria-labelledby={id}>
      <p id={id} tabindex="-1" ref={question}>
        {t('shop.cancel.question', { title: props.voucher.offerTitle, price: formatPoints(props.voucher.price) })}
      </p>
      <Show when={props.failure}>
        {(words) => (
          <p class="shop-alert" role="alert">
            {words()}
          </p>
        )}
      </Show>
      <div class="actions">
        <button type="button" class="button button--danger" disabled={props.pending} onClick={() => props.onYes()}>
          {props.pending ? t('shop.cancel.pending') : t('shop.cancel.yes')}
        </button>
        <button type="button" class="button" disabled={props.pending} onClick={() => props.onNo()}>
          {t('shop.cancel.no')}
        </button>
      </div>
    </div>
  );
}
