import { A, createAsync, revalidate } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { errorWords } from '../api/error-words';
import { formatDateTime } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type Notification, getInbox, latestUnread, markRead } from './api';
import { t } from './messages';
import { notificationWords } from './notification-words';
import { createPager } from '../lib/pager';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import './driver.css';

const everything = {};

/** Messages from the programme, newest first; each unread one can be marked read. */
export default function Inbox() {
  usePageTitle('shop.inbox.title');
  const first = createAsync(() => getInbox(everything));
  const pager = createPager(first, (page) => page.items, (cursor) => getInbox({ cursor }));
  // Marked read here; kept locally so that pages loaded with "Show more" stay where they are.
  const [readHere, setReadHere] = createSignal<ReadonlySet<string>>(new Set());
  const unread = () => Math.max(0, (first()?.unread ?? 0) - readHere().size);

  const onRead = (id: string) => {
    setReadHere((ids) => new Set(ids).add(id));
    void revalidate(getInbox.keyFor(latestUnread));
  };

  return (
    <div class="shop-inbox">
      <h1>{t('shop.inbox.title')}</h1>
      <Loaded keys={[getInbox.key]}>
        <Show when={first()}>
          <p>
            {unread() === 0
              ? t('shop.inbox.noneUnread')
              : t(unread() === 1 ? 'shop.inbox.unreadOne' : 'shop.inbox.unreadMany', { count: unread() })}
          </p>
          <Show when={pager.items().length > 0} fallback={<p class="empty">{t('shop.inbox.empty')}</p>}>
            <ul class="shop-messages">
              <For each={pager.items()}>
                {(n) => <Message notification={n} read={n.read || readHere().has(n.id)} onRead={onRead} />}
              </For>
            </ul>
            <ShowMore pager={pager} />
          </Show>
        </Show>
      </Loaded>
    </div>
  );
}

const linkByKind: Record<string, { href: string; label: 'shop.inbox.toRating' | 'shop.inbox.toShop' }> = {
  rating_changed: { href: '/rating', label: 'shop.inbox.toRating' },
  points_expiring: { href: '/shop', label: 'shop.inbox.toShop' },
  points_expired: { href: '/shop', label: 'shop.inbox.toShop' },
};

function Message(props: { notification: Notification; read: boolean; onRead: (id: string) => void }) {
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<string>();
  const words = () => notificationWords(props.notification);
  const titleId = () => `message-${props.notification.id}`;
  const link = () => linkByKind[props.notification.kind];

  async function read() {
    setPending(true);
    setFailure(undefined);
    try {
      await markRead(props.notification.id);
      props.onRead(props.notification.id);
    } catch (error) {
      setFailure(errorWords(error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <li class="shop-message" classList={{ 'shop-message--unread': !props.read }} aria-labelledby={titleId()}>
      <h2 class="shop-message__title" id={titleId()}>
        <Show when={!props.read}>
          <span class="shop-dot" aria-hidden="true" />
          <span class="visually-hidden">{t('shop.inbox.unreadLabel')} </span>
        </Show>
        {words().title}
      </h2>
      <p class="shop-muted">
        <time datetime={props.notification.createdAt}>{formatDateTime(props.notification.createdAt)}</time>
      </p>
      <p>{words().body}</p>
      <Show when={failure()}>
        {(message) => (
          <p class="shop-alert" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="shop-message__actions">
        <Show when={link()}>
          {(l) => (
            <A href={l().href} class="button button--small">
              {t(l().label)}
            </A>
          )}
        </Show>
        <Show when={!props.read}>
          <button type="button" class="button button--small" disabled={pending()} onClick={() => void read()}>
            {t('shop.inbox.markRead')}
            <span class="visually-hidden">: {words().title}</span>
          </button>
        </Show>
      </div>
    </li>
  );
}
