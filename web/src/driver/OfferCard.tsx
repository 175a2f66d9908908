import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { formatPoints } from '../i18n';
import type { Offer } from './api';
import { categoryWords } from './labels';
import { t } from './messages';

/** Your price after your grade's discount, and the list price beside it when they differ. */
export function Price(props: { offer: Offer }) {
  return (
    <p class="shop-price">
      <span class="shop-price__yours">
        {t('shop.price.yours')} <strong class="points">{t('unit.points', { amount: formatPoints(props.offer.yourPrice) })}</strong>
      </span>
      <Show when={props.offer.price !== props.offer.yourPrice}>
        <span class="shop-price__list">
          {t('shop.price.list')} <s class="points">{t('unit.points', { amount: formatPoints(props.offer.price) })}</s>
        </span>
      </Show>
    </p>
  );
}

/** Whether you can have it: affordable, your grade, stock. Only what applies is said. */
export function OfferFlags(props: { offer: Offer }) {
  return (
    <ul class="shop-flags">
      <Show when={props.offer.stockLeft === 0}>
        <li class="status status--bad">{t('shop.flag.soldOut')}</li>
      </Show>
      <Show when={props.offer.affordable !== null}>
        <li class="status" classList={{ 'status--bad': props.offer.affordable === false }}>
          {props.offer.affordable ? t('shop.flag.affordable') : t('shop.flag.notAffordable')}
        </li>
      </Show>
      <Show when={props.offer.minGrade}>
        {(grade) => (
          <li class="status" classList={{ 'status--bad': !props.offer.qualifies }}>
            {props.offer.qualifies
              ? t('shop.flag.gradeQualifies', { grade: grade() })
              : t('shop.flag.gradeTooLow', { grade: grade() })}
          </li>
        )}
      </Show>
    </ul>
  );
}

/** One offer in the catalog; its title leads to the offer's page. */
export function OfferCard(props: { offer: Offer }) {
  return (
    <li class="card shop-offer">
      <div class="card__head">
        <h2 class="card__title">
          <A href={`/shop/${props.offer.id}`}>{props.offer.title}</A>
        </h2>
        <span class="badge">{categoryWords(props.offer.category)}</span>
      </div>
      <p>
        {props.offer.partner.name} · {props.offer.partner.region}
      </p>
      <p class="shop-offer__face">{props.offer.faceValue}</p>
      <Price offer={props.offer} />
      <OfferFlags offer={props.offer} />
    </li>
  );
}
