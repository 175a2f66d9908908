import { revalidate } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { formatDate, formatPoints } from '../../i18n';
import { type Offer, approveOffer, getOffers, setOfferStatus } from './api';
import { categoryWords, limitPeriodWords, offerStatusWords } from './labels';
import { type MessageKey, t } from './messages';
import { useSubmit } from './use-submit';

type Change = 'approve' | 'submit' | 'pause' | 'resume' | 'retire';

/** What each status may become, and the words for having done it. */
const changesFor: Record<Offer['status'], Change[]> = {
  draft: ['submit', 'retire'],
  pending_approval: ['approve', 'retire'],
  active: ['pause', 'retire'],
  paused: ['resume', 'retire'],
  retired: [],
};

const buttonWords: Record<Change, MessageKey> = {
  approve: 'partnersAdmin.offer.approve',
  submit: 'partnersAdmin.offer.submit',
  pause: 'partnersAdmin.offer.pause',
  resume: 'partnersAdmin.offer.resume',
  retire: 'partnersAdmin.offer.retire',
};

const doneWords: Record<Change, MessageKey> = {
  approve: 'partnersAdmin.offer.approved',
  submit: 'partnersAdmin.offer.submitted',
  pause: 'partnersAdmin.offer.paused',
  resume: 'partnersAdmin.offer.resumed',
  retire: 'partnersAdmin.offer.retired',
};

function apply(offer: Offer, change: Change): Promise<Offer> {
  switch (change) {
    case 'approve':
      return approveOffer(offer.id);
    case 'submit':
      return setOfferStatus(offer.id, 'pending_approval');
    case 'pause':
      return setOfferStatus(offer.id, 'paused');
    case 'resume':
      return setOfferStatus(offer.id, 'active');
    case 'retire':
      return setOfferStatus(offer.id, 'retired');
  }
}

/** One offer and what the committee can do with it now; retiring asks first, it cannot be undone. */
export function OfferCard(props: { offer: Offer; onChanged: (news: string) => void }) {
  const titleId = () => `offer-${props.offer.id}-title`;
  const submit = useSubmit((change: Change) => apply(props.offer, change));
  const [confirmRetire, setConfirmRetire] = createSignal(false);

  async function change(what: Change) {
    const after = await submit.run(what);
    if (!after) return;
    setConfirmRetire(false);
    props.onChanged(t(doneWords[what], { title: after.title }));
    void revalidate(getOffers.key);
  }

  const window = () => {
    const { validFrom, validTo } = props.offer;
    if (!validFrom && !validTo) return t('partnersAdmin.offer.always');
    return t('partnersAdmin.offer.window', {
      from: validFrom ? formatDate(validFrom) : '…',
      to: validTo ? formatDate(validTo) : '…',
    });
  };

  return (
    <article class="card admin-card" aria-labelledby={titleId()}>
      <div class="card__head">
        <h2 class="card__title" id={titleId()}>
          {props.offer.title}
        </h2>
        <span class="status" classList={{ 'status--muted': props.offer.status !== 'active' }}>
          {offerStatusWords(props.offer.status)}
        </span>
      </div>
      <p class="admin-meta">
        {props.offer.partner.name} · {categoryWords(props.offer.category)}
      </p>
      <p>{props.offer.faceValue}</p>
      <dl class="facts">
        <div>
          <dt>{t('partnersAdmin.offer.price')}</dt>
          <dd class="points">{t('unit.points', { amount: formatPoints(props.offer.price) })}</dd>
        </div>
        <div>
          <dt>{t('partnersAdmin.offer.stock')}</dt>
          <dd>{t('partnersAdmin.offer.stockValue', { left: props.offer.stockLeft, total: props.offer.stockTotal })}</dd>
        </div>
        <div>
          <dt>{t('partnersAdmin.offer.limit')}</dt>
          <dd>{t('partnersAdmin.offer.limitValue', { count: props.offer.perDriverLimit, period: limitPeriodWords(props.offer.limitPeriod) })}</dd>
        </div>
        <div>
          <dt>{t('partnersAdmin.offer.valid')}</dt>
          <dd>{window()}</dd>
        </div>
        <div>
          <dt>{t('partnersAdmin.offer.minGrade')}</dt>
          <dd>{props.offer.minGrade ?? t('partnersAdmin.offer.anyGrade')}</dd>
        </div>
      </dl>
      <Show when={submit.failure()}>
        {(words) => (
          <p class="admin-problem" role="alert">
            {words().message}
          </p>
        )}
      </Show>
      <Show
        when={confirmRetire()}
        fallback={
          <Show when={changesFor[props.offer.status].length > 0}>
            <div class="actions">
              <For each={changesFor[props.offer.status]}>
                {(what) => (
                  <button
                    type="button"
                    class="button button--small"
                    classList={{ 'button--primary': what === 'approve' }}
                    disabled={submit.pending()}
                    aria-describedby={titleId()}
                    onClick={() => (what === 'retire' ? setConfirmRetire(true) : void change(what))}
                  >
                    {t(buttonWords[what])}
                  </button>
                )}
              </For>
            </div>
          </Show>
        }
      >
        <div class="admin-review" role="group" aria-label={t('partnersAdmin.offer.retireQuestion', { title: props.offer.title })}>
          <p>{t('partnersAdmin.offer.retireQuestion', { title: props.offer.title })}</p>
          <div class="actions">
            <button type="button" class="button button--small button--primary" disabled={submit.pending()} onClick={() => void change('retire')}>
              {t('partnersAdmin.offer.retireConfirm')}
            </button>
            <button type="button" class="button button--small" disabled={submit.pending()} onClick={() => setConfirmRetire(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      </Show>
    </article>
  );
}
