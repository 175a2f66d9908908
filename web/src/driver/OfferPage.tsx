import { A, createAsync, revalidate, useParams } from '@solidjs/router';
import { ErrorBoundary, Show, Suspense, createEffect } from 'solid-js';
import { errorWords } from '../api/error-words';
import { formatDate } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Offer, getOffer } from './api';
import { categoryWords, limitWords } from './labels';
import { t } from './messages';
import { OfferFlags, Price } from './OfferCard';
import { RedeemPanel } from './RedeemPanel';
import { problemCode } from './refusal';
import './driver.css';

/** One offer: what it is, where, until when, how many are left, your price, and the way to redeem. */
export default function OfferPage() {
  usePageTitle('shop.offer.title');
  const params = useParams<{ id: string }>();
  const offer = createAsync(() => getOffer(params.id));

  return (
    <article class="shop-offer-page">
      <p class="shop-back">
        <A href="/shop">{t('shop.offer.back')}</A>
      </p>
      <ErrorBoundary fallback={(error, reset) => <OfferMissing error={error} reset={reset} />}>
        <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>
          <Show when={offer()}>{(o) => <OfferDetails offer={o()} />}</Show>
        </Suspense>
      </ErrorBoundary>
    </article>
  );
}

function OfferDetails(props: { offer: Offer }) {
  createEffect(() => {
    document.title = t('app.pageTitle', { page: props.offer.title });
  });
  return (
    <>
      <h1>{props.offer.title}</h1>
      <p class="lede">
        {props.offer.partner.name} · {props.offer.partner.region} ·{' '}
        <span class="badge">{categoryWords(props.offer.category)}</span>
      </p>
      <Show when={props.offer.description}>
        <p>{props.offer.description}</p>
      </Show>
      <section class="panel" aria-labelledby="offer-terms">
        <h2 id="offer-terms" class="section-title">
          {t('shop.offer.terms')}
        </h2>
        <p class="shop-offer__face">{props.offer.faceValue}</p>
        <Price offer={props.offer} />
        <OfferFlags offer={props.offer} />
        <dl class="facts">
          <div>
            <dt>{t('shop.offer.valid')}</dt>
            <dd>{validity(props.offer)}</dd>
          </div>
          <div>
            <dt>{t('shop.offer.stock')}</dt>
            <dd>{t('shop.offer.stockLeft', { left: props.offer.stockLeft, total: props.offer.stockTotal })}</dd>
          </div>
          <div>
            <dt>{t('shop.offer.limit')}</dt>
            <dd>{limitWords(props.offer)}</dd>
          </div>
          <Show when={props.offer.minGrade}>
            {(grade) => (
              <div>
                <dt>{t('shop.offer.minGrade')}</dt>
                <dd>{t('shop.offer.gradeAndAbove', { grade: grade() })}</dd>
              </div>
            )}
          </Show>
        </dl>
      </section>
      <RedeemPanel offer={props.offer} />
    </>
  );
}

function validity(offer: Offer): string {
  if (offer.validFrom && offer.validTo) {
    return t('shop.offer.validBetween', { from: formatDate(offer.validFrom), to: formatDate(offer.validTo) });
  }
  if (offer.validTo) return t('shop.offer.validUntil', { to: formatDate(offer.validTo) });
  if (offer.validFrom) return t('shop.offer.validFrom', { from: formatDate(offer.validFrom) });
  return t('shop.offer.validAlways');
}

/** The offer could not be shown: gone from the shop, or not loaded; in words, with a way on. */
function OfferMissing(props: { error: unknown; reset: () => void }) {
  const gone = () => problemCode(props.error) === 'offer-not-found';
  return (
    <section class="panel" role="alert">
      <h1>{gone() ? t('shop.offer.goneTitle') : t('error.pageTitle')}</h1>
      <p>{gone() ? t('shop.refusal.offerNotFound') : errorWords(props.error).message}</p>
      <div class="actions">
        <Show when={!gone()}>
          <button
            type="button"
            class="button button--primary"
            onClick={async () => {
              await revalidate(getOffer.key);
              props.reset();
            }}
          >
            {t('action.retry')}
          </button>
        </Show>
        <A href="/shop" class="button">
          {t('shop.offer.back')}
        </A>
      </div>
    </section>
  );
}
