import { A, createAsync } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { formatDate, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Redemption, getVouchers } from './api';
import { Announcement } from './Announcement';
import { CancelVoucher } from './CancelVoucher';
import { voucherStatusWords } from './labels';
import { t } from './messages';
import { Loaded } from '../components/Loaded';
import { effectiveStatus, isUsable } from './voucher-state';
import './driver.css';

/** My vouchers: the ones ready to use first, then the used, cancelled and expired ones. */
export default function Vouchers() {
  usePageTitle('shop.vouchers.title');
  const list = createAsync(() => getVouchers());
  const [news, setNews] = createSignal<string>();
  const ready = () => list()?.items.filter(isUsable) ?? [];
  const past = () => list()?.items.filter((v) => !isUsable(v)) ?? [];

  return (
    <div class="shop-vouchers">
      <h1>{t('shop.vouchers.title')}</h1>
      <Announcement message={news()} />
      <Loaded keys={[getVouchers.key]}>
        <Show when={list()}>
          <Show
            when={list()?.items.length}
            fallback={
              <div class="empty">
                <p>{t('shop.vouchers.empty')}</p>
                <A href="/shop" class="button button--primary">
                  {t('shop.vouchers.toShop')}
                </A>
              </div>
            }
          >
            <section aria-labelledby="vouchers-ready">
              <h2 id="vouchers-ready" class="section-title">
                {t('shop.vouchers.ready')}
              </h2>
              <Show when={ready().length > 0} fallback={<p class="shop-muted">{t('shop.vouchers.noneReady')}</p>}>
                <ul class="cards shop-voucher-list">
                  <For each={ready()}>{(v) => <VoucherCard voucher={v} onOutcome={setNews} />}</For>
                </ul>
              </Show>
            </section>
            <Show when={past().length > 0}>
              <section aria-labelledby="vouchers-past">
                <h2 id="vouchers-past" class="section-title">
                  {t('shop.vouchers.past')}
                </h2>
                <ul class="cards shop-voucher-list">
                  <For each={past()}>{(v) => <VoucherCard voucher={v} onOutcome={setNews} />}</For>
                </ul>
              </section>
            </Show>
          </Show>
        </Show>
      </Loaded>
    </div>
  );
}

function VoucherCard(props: { voucher: Redemption; onOutcome: (words: string) => void }) {
  const status = () => effectiveStatus(props.voucher);
  return (
    <li class="card shop-voucher-card" classList={{ 'shop-voucher-card--past': status() !== 'held' }}>
      <div class="card__head">
        <h3 class="card__title">
          <A href={`/vouchers/${props.voucher.id}`}>{props.voucher.offerTitle}</A>
        </h3>
        <span class="status" classList={{ 'status--muted': status() !== 'held' }}>
          {voucherStatusWords(status())}
        </span>
      </div>
      <p>{props.voucher.partner.name}</p>
      <p>
        <span class="shop-code-small">{props.voucher.code}</span> ·{' '}
        <span class="points">{t('unit.points', { amount: formatPoints(props.voucher.price) })}</span>
      </p>
      <p>
        {status() === 'held'
          ? t('shop.voucher.useBy', { date: formatDate(props.voucher.expiresAt) })
          : t('shop.voucher.redeemedOn', { date: formatDate(props.voucher.createdAt) })}
      </p>
      <Show when={status() === 'held'}>
        <div class="shop-voucher-card__actions">
          <A href={`/vouchers/${props.voucher.id}`} class="button button--small button--primary">
            {t('shop.vouchers.show')}
            <span class="visually-hidden">: {props.voucher.offerTitle}</span>
          </A>
          <CancelVoucher voucher={props.voucher} onOutcome={props.onOutcome} />
        </div>
      </Show>
    </li>
  );
}
