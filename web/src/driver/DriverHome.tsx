import { A, createAsync } from '@solidjs/router';
import { For, Show, onMount } from 'solid-js';
import type { Me } from '../../../api/auth/auth.schemas';
import { formatDate, formatPoints } from '../i18n';
import { type Wallet, getExpiry, getInbox, getRating, getWallet, latestUnread } from './api';
import { daysUntil, formatScore } from './format';
import { GradeBadge } from './GradeBadge';
import { t } from './messages';
import { nextGradeWords } from './next-grade-words';
import { notificationWords } from './notification-words';
import { Loaded } from '../components/Loaded';
import './driver.css';

/** The driver's start page: balance, grade and the way up, points about to expire, new messages. */
export default function DriverHome(props: { user: Me }) {
  return (
    <div class="shop-home">
      <h1>{t('home.greeting', { name: props.user.name })}</h1>
      <Balance />
      <ExpiryNotice />
      <GradeProgress />
      <InboxPreview />
      <Shortcuts />
    </div>
  );
}

function Balance() {
  const wallet = createAsync(() => getWallet());
  return (
    <section class="panel shop-balance" aria-labelledby="home-balance">
      <h2 id="home-balance">{t('shop.home.balance')}</h2>
      <Loaded keys={[getWallet.key]}>
        <Show when={wallet()}>{(w) => <BalanceFigures wallet={w()} />}</Show>
      </Loaded>
      <A href="/statement">{t('shop.home.statementLink')}</A>
    </section>
  );
}

function BalanceFigures(props: { wallet: Wallet }) {
  // The benchmark's "home is usable" moment: the balance is on the screen.
  onMount(() => performance.mark('milepost:home-ready'));
  return (
    <>
      <p class="shop-balance__available">
        <span class="shop-balance__label">{t('shop.home.available')}</span>
        <span class="shop-balance__amount points">{t('unit.points', { amount: formatPoints(props.wallet.available) })}</span>
      </p>
      <dl class="facts">
        <div>
          <dt>{t('shop.home.held')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.wallet.held) })}</dd>
        </div>
        <div>
          <dt>{t('shop.home.lifetimeEarned')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.wallet.lifetimeEarned) })}</dd>
        </div>
      </dl>
    </>
  );
}

function ExpiryNotice() {
  const expiry = createAsync(() => getExpiry());
  const next = () => {
    const e = expiry();
    return e?.enabled ? e.next : null;
  };
  return (
    <Loaded keys={[getExpiry.key]} fallback={null}>
      <Show when={next()}>
        {(soonest) => (
          <p
            class="notice shop-expiry"
            classList={{ 'shop-expiry--soon': daysUntil(soonest().date) <= (expiry()?.noticeDays ?? 30) }}
          >
            {t('shop.home.expiry', { points: formatPoints(soonest().points), date: formatDate(soonest().date) })}{' '}
            <A href="/shop">{t('shop.home.expirySpend')}</A>
          </p>
        )}
      </Show>
    </Loaded>
  );
}

function GradeProgress() {
  const rating = createAsync(() => getRating());
  return (
    <section class="panel" aria-labelledby="home-grade">
      <h2 id="home-grade">{t('shop.home.grade')}</h2>
      <Loaded keys={[getRating.key]}>
        <Show when={rating()}>
          {(r) => (
            <>
              <p class="shop-grade-line">
                <GradeBadge grade={r().grade} size="large" />
                <span>{t('shop.rating.score', { score: formatScore(r().score) })}</span>
              </p>
              <Show when={r().next} fallback={<p>{t('shop.next.top')}</p>}>
                {(next) => {
                  const words = () => nextGradeWords(next(), r().score);
                  return (
                    <div class="shop-next">
                      <p>{words().headline}</p>
                      <Show when={words().steps.length > 0}>
                        <ul>
                          <For each={words().steps}>{(step) => <li>{step}</li>}</For>
                        </ul>
                      </Show>
                    </div>
                  );
                }}
              </Show>
            </>
          )}
        </Show>
      </Loaded>
      <A href="/rating">{t('shop.home.ratingLink')}</A>
    </section>
  );
}

function InboxPreview() {
  const inbox = createAsync(() => getInbox(latestUnread));
  return (
    <section class="panel" aria-labelledby="home-inbox">
      <h2 id="home-inbox">{t('shop.inbox.title')}</h2>
      <Loaded keys={[getInbox.key]}>
        <Show when={inbox()}>
          {(page) => (
            <>
              <p>
                {page().unread === 0
                  ? t('shop.inbox.noneUnread')
                  : t(page().unread === 1 ? 'shop.inbox.unreadOne' : 'shop.inbox.unreadMany', { count: page().unread })}
              </p>
              <Show when={page().items.length > 0}>
                <ul class="shop-list">
                  <For each={page().items}>
                    {(n) => (
                      <li>
                        <span class="shop-list__title">{notificationWords(n).title}</span>
                        <span class="shop-muted">{formatDate(n.createdAt)}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </Loaded>
      <A href="/inbox">{t('shop.home.inboxLink')}</A>
    </section>
  );
}

function Shortcuts() {
  const links = [
    { href: '/shop', label: 'shop.home.shopLink' },
    { href: '/vouchers', label: 'shop.vouchers.title' },
    { href: '/statement', label: 'shop.statement.title' },
    { href: '/rating', label: 'shop.rating.title' },
    { href: '/earn', label: 'shop.home.earnLink' },
    { href: '/inbox', label: 'shop.inbox.title' },
  ] as const;
  return (
    <nav class="shop-shortcuts" aria-label={t('shop.home.shortcuts')}>
      <ul>
        <For each={links}>
          {(link) => (
            <li>
              <A href={link.href} class="button button--block">
                {t(link.label)}
              </A>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}
