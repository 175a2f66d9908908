import { A, createAsync, revalidate, useParams } from '@solidjs/router';
import { ErrorBoundary, For, Show, Suspense, createSignal } from 'solid-js';
import { errorWords } from '../api/error-words';
import { formatDateTime, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Redemption, getVoucher } from './api';
import { Announcement } from './Announcement';
import { CancelVoucher } from './CancelVoucher';
import { codeGroups, spelledCode } from './format';
import { voucherStatusWords } from './labels';
import { t } from './messages';
import { problemCode } from './refusal';
import { effectiveStatus } from './voucher-state';
import './driver.css';

/**
 * A voucher as it is shown at the counter: the QR code to scan and the code in large type to
 * read out or type, what it is for, where, and until when.
 */
export default function VoucherPage() {
  usePageTitle('shop.voucher.title');
  const params = useParams<{ id: string }>();
  const voucher = createAsync(() => getVoucher(params.id));
  return (
    <article class="shop-voucher">
      <p class="shop-back">
        <A href="/vouchers">{t('shop.voucher.back')}</A>
      </p>
      <ErrorBoundary fallback={(error, reset) => <VoucherMissing error={error} reset={reset} />}>
        <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>
          <Show when={voucher()}>{(v) => <VoucherDetails voucher={v()} />}</Show>
        </Suspense>
      </ErrorBoundary>
    </article>
  );
}

function VoucherDetails(props: { voucher: Redemption }) {
  const [news, setNews] = createSignal<string>();
  const status = () => effectiveStatus(props.voucher);
  const usable = () => status() === 'held';
  return (
    <>
      <h1>{props.voucher.offerTitle}</h1>
      <p class="shop-voucher__status" classList={{ 'shop-voucher__status--past': !usable() }}>
        {voucherStatusWords(status())}
      </p>
      <Announcement message={news()} />
      <section class="shop-ticket" classList={{ 'shop-ticket--past': !usable() }} aria-labelledby="voucher-code-label">
        <Show when={usable() && props.voucher.qr}>
          {(qr) => (
            <img
              class="shop-ticket__qr"
              src={qr()}
              alt={t('shop.voucher.qrAlt', { code: props.voucher.code })}
              width="240"
              height="240"
            />
          )}
        </Show>
        <h2 id="voucher-code-label" class="shop-ticket__label">
          {t('shop.voucher.code')}
        </h2>
        <p class="shop-ticket__code">
          <span class="visually-hidden">{spelledCode(props.voucher.code)}</span>
          <span aria-hidden="true">
            <For each={codeGroups(props.voucher.code)}>{(group) => <span class="shop-ticket__group">{group}</span>}</For>
          </span>
        </p>
        <Show when={usable()}>
          <p class="shop-ticket__hint">{t('shop.voucher.showAtCounter')}</p>
        </Show>
      </section>
      <dl class="facts shop-voucher__facts">
        <div>
          <dt>{t('shop.voucher.for')}</dt>
          <dd>{props.voucher.faceValue}</dd>
        </div>
        <div>
          <dt>{t('shop.voucher.where')}</dt>
          <dd>
            {props.voucher.partner.name}
            <Show when={props.voucher.partner.address}>
              {(address) => (
                <>
                  <br />
                  {address()}
                </>
              )}
            </Show>
          </dd>
        </div>
        <div>
          <dt>{status() === 'expired' ? t('shop.voucher.expired') : t('shop.voucher.expires')}</dt>
          <dd>{formatDateTime(props.voucher.expiresAt)}</dd>
        </div>
        <div>
          <dt>{t('shop.voucher.points')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.voucher.captured ?? props.voucher.price) })}</dd>
        </div>
        <div>
          <dt>{t('shop.voucher.redeemed')}</dt>
          <dd>{formatDateTime(props.voucher.createdAt)}</dd>
        </div>
        <Show when={props.voucher.resolvedAt}>
          {(at) => (
            <div>
              <dt>{t(`shop.voucher.resolved.${props.voucher.status}`)}</dt>
              <dd>{formatDateTime(at())}</dd>
            </div>
          )}
        </Show>
      </dl>
      <Show when={usable()}>
        <CancelVoucher voucher={props.voucher} onOutcome={setNews} />
      </Show>
    </>
  );
}

function VoucherMissing(props: { error: unknown; reset: () => void }) {
  const gone = () => problemCode(props.error) === 'redemption-not-found';
  return (
    <section class="panel" role="alert">
      <h1>{gone() ? t('shop.voucher.goneTitle') : t('error.pageTitle')}</h1>
      <p>{gone() ? t('shop.voucher.gone') : errorWords(props.error).message}</p>
      <div class="actions">
        <Show when={!gone()}>
          <button
            type="button"
            class="button button--primary"
            onClick={async () => {
              await revalidate(getVoucher.key);
              props.reset();
            }}
          >
            {t('action.retry')}
          </button>
        </Show>
        <A href="/vouchers" class="button">
          {t('shop.voucher.back')}
        </A>
      </div>
    </section>
  );
}
