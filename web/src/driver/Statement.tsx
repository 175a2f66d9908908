import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { type StatementLine, getStatement } from './api';
import { t } from './messages';
import { createPager } from '../lib/pager';
import { Loaded } from '../components/Loaded';
import { ShowMore } from '../components/ShowMore';
import { entryWordsWith } from '../lib/statement-entry';
import './driver.css';

/** Every movement of my points, newest first, with the balance after each. */
export default function Statement() {
  usePageTitle('shop.statement.title');
  const first = createAsync(() => getStatement());
  const pager = createPager(first, (page) => page.lines, (cursor) => getStatement(cursor));

  return (
    <div class="shop-statement">
      <h1>{t('shop.statement.title')}</h1>
      <p class="lede">{t('shop.statement.intro')}</p>
      <Loaded keys={[getStatement.key]}>
        <Show when={first()}>
          <Show
            when={pager.items().length > 0}
            fallback={
              <div class="empty">
                <p>{t('shop.statement.empty')}</p>
                <A href="/earn">{t('shop.home.earnLink')}</A>
              </div>
            }
          >
            <ol class="shop-ledger">
              <For each={pager.items()}>{(line) => <Entry line={line} />}</For>
            </ol>
            <ShowMore pager={pager} />
          </Show>
        </Show>
      </Loaded>
    </div>
  );
}

/** What a statement line is, in words, from its ledger code (the reason says the particulars). */
const entryWords = entryWordsWith((kind) => t(`shop.entry.${kind}`));

function signed(amount: string): string {
  const formatted = formatPoints(amount);
  return amount.startsWith('-') ? formatted : `+${formatted}`;
}

function Entry(props: { line: StatementLine }) {
  return (
    <li class="shop-ledger__entry" classList={{ 'shop-ledger__entry--held': props.line.pending }}>
      <div class="shop-ledger__what">
        <span class="shop-ledger__title">{entryWords(props.line)}</span>
        <Show when={props.line.reason}>{(reason) => <span class="shop-muted">{reason()}</span>}</Show>
        <time class="shop-muted" datetime={props.line.createdAt}>
          {formatDateTime(props.line.createdAt)}
        </time>
      </div>
      <div class="shop-ledger__numbers">
        <span
          class="shop-ledger__amount points"
          classList={{ 'shop-ledger__amount--out': props.line.amount.startsWith('-') }}
        >
          <span class="visually-hidden">{t('shop.statement.amount')} </span>
          {t('unit.points', { amount: signed(props.line.amount) })}
        </span>
        <span class="shop-muted points">
          <Show when={props.line.balanceAfter} fallback={t('shop.statement.held')}>
            {(balance) => t('shop.statement.balanceAfter', { amount: formatPoints(balance()) })}
          </Show>
        </span>
      </div>
    </li>
  );
}
