import { A, query, revalidate, useNavigate } from '@solidjs/router';
import { Match, Show, Switch, createSignal, onMount } from 'solid-js';
import { newIdempotencyKey } from '../api/client';
import { formatPoints } from '../i18n';
import { type Offer, getCatalog, getOffer, getVoucher, getVouchers, getWallet, redeem } from './api';
import { t } from './messages';
import { isRefusal, refusalWords } from './refusal';

/**
 * The key of a redeem of this offer that was sent and never answered (the connection dropped,
 * the server failed): it may have gone through. Kept for the tab (sessionStorage), so trying
 * again after Cancel, after leaving the page or after a reload still carries it, and the server
 * hands back the voucher it may have issued instead of charging a second time. Dropped once a
 * redeem of the offer gets a definite answer.
 */
const unanswered = {
  name: (offerId: string) => `milepost:redeem-unanswered:${offerId}`,
  get(offerId: string): string | undefined {
    try {
      return sessionStorage.getItem(this.name(offerId)) ?? undefined;
    } catch {
      return undefined;
    }
  },
  set(offerId: string, key: string | undefined) {
    try {
      if (key) sessionStorage.setItem(this.name(offerId), key);
      else sessionStorage.removeItem(this.name(offerId));
    } catch {
      // Storage refused (private mode, quota): the open confirmation still keeps its key.
    }
  },
};

/**
 * Redeeming, in two steps: "Redeem" opens a confirmation saying what you pay, what you get and
 * where; "Confirm" spends. The Idempotency-Key is made when the confirmation opens, so every
 * retry of that one intent (a dropped connection, a second tap) carries the same key and the
 * server hands back the same voucher instead of a second one. A send whose outcome is unknown
 * keeps its key beyond the confirmation (`unanswered`).
 */
export function RedeemPanel(props: { offer: Offer }) {
  const navigate = useNavigate();
  const [key, setKey] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<string>();
  let redeemButton: HTMLButtonElement | undefined;
  let refusalBox: HTMLDivElement | undefined;

  const open = () => {
    setFailure(undefined);
    setKey(unanswered.get(props.offer.id) ?? newIdempotencyKey());
  };
  const close = () => {
    setKey(undefined);
    setFailure(undefined);
    queueMicrotask(() => redeemButton?.focus());
  };

  async function confirm() {
    const intent = key();
    if (!intent || pending()) return;
    setPending(true);
    setFailure(undefined);
    unanswered.set(props.offer.id, intent);
    try {
      const voucher = await redeem(props.offer.id, intent);
      unanswered.set(props.offer.id, undefined);
      query.set(getVoucher.keyFor(voucher.id), voucher);
      void revalidate([getWallet.key, getCatalog.key, getOffer.key, getVouchers.key]);
      navigate(`/vouchers/${voucher.id}`);
    } catch (error) {
      setFailure(refusalWords(error, props.offer));
      if (isRefusal(error)) {
        // Decided: this intent is over. Trying again is a new intent with a new key.
        unanswered.set(props.offer.id, undefined);
        setKey(undefined);
        queueMicrotask(() => refusalBox?.focus());
        void revalidate([getOffer.key, getWallet.key]);
      } else {
        // It may have gone through: the vouchers and points shown elsewhere are read afresh.
        void revalidate([getVouchers.key, getWallet.key]);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <Show
      when={key()}
      fallback={
        <section class="shop-redeem" aria-label={t('shop.redeem.label')}>
          <Show when={failure()}>
            {(words) => (
              <div class="shop-alert" role="alert" tabindex="-1" ref={refusalBox}>
                <p>{words()}</p>
              </div>
            )}
          </Show>
          <Switch
            fallback={
              <button type="button" class="button button--primary button--block" ref={redeemButton} onClick={open}>
                {t('shop.redeem.open')}
              </button>
            }
          >
            <Match when={props.offer.stockLeft === 0}>
              <p class="notice">{t('shop.refusal.outOfStock')}</p>
            </Match>
            <Match when={!props.offer.qualifies}>
              <p class="notice">
                {t('shop.redeem.needsGrade', { grade: props.offer.minGrade ?? '' })}{' '}
                <A href="/rating">{t('shop.redeem.seeRating')}</A>
              </p>
            </Match>
            <Match when={props.offer.affordable === false}>
              <p class="notice">
                {t('shop.redeem.needsPoints', { price: formatPoints(props.offer.yourPrice) })}{' '}
                <A href="/earn">{t('shop.redeem.earnMore')}</A>
              </p>
            </Match>
          </Switch>
        </section>
      }
    >
      <ConfirmStep offer={props.offer} pending={pending()} failure={failure()} onConfirm={confirm} onCancel={close} />
    </Show>
  );
}

function ConfirmStep(props: {
  offer: Offer;
  pending: boolean;
  failure: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());
  return (
    <section class="panel shop-confirm" aria-labelledby="redeem-confirm-title">
      <h2 id="redeem-confirm-title" tabindex="-1" ref={heading}>
        {t('shop.redeem.confirmTitle')}
      </h2>
      <dl class="facts">
        <div>
          <dt>{t('shop.redeem.youPay')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.offer.yourPrice) })}</dd>
        </div>
        <div>
          <dt>{t('shop.redeem.youGet')}</dt>
          <dd>{props.offer.faceValue}</dd>
        </div>
        <div>
          <dt>{t('shop.redeem.where')}</dt>
          <dd>
            {props.offer.partner.name} · {props.offer.partner.region}
          </dd>
        </div>
      </dl>
      <p class="shop-muted">{t('shop.redeem.howItWorks')}</p>
      <Show when={props.failure}>
        {(words) => (
          <div class="shop-alert" role="alert">
            <p>{words()}</p>
            <p>{t('shop.redeem.retrySafe')}</p>
          </div>
        )}
      </Show>
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          disabled={props.pending}
          onClick={() => props.onConfirm()}
        >
          {props.pending ? t('shop.redeem.pending') : t('shop.redeem.confirm')}
        </button>
        <button type="button" class="button" disabled={props.pending} onClick={() => props.onCancel()}>
          {t('action.cancel')}
        </button>
      </div>
    </section>
  );
}
