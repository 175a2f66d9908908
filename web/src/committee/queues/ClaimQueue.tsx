import { createAsync } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { errorWords } from '../../api/error-words';
import { formatPoints } from '../../i18n';
import { t } from '../messages';
import { approveClaim, getClaims, rejectClaim, type Claim, type ClaimFilter } from './api';
import { ClaimCard, claimCardId } from './ClaimCard';
import { fetchFresh } from './fresh';
import { isConflict, createItemWork } from './item-work';
import { createPagedQueue } from './paged-queue';
import { QueueFoot } from './QueueFoot';
import { useQueueKeys } from './queue-keys';
import { createQueueSelection } from './selection';

const emptyId = 'claims-empty';

/** The claims of the filter, worked one by one: approve, or reject with a reason. */
export function ClaimQueue(props: { filter: ClaimFilter }) {
  const first = createAsync(() => getClaims(props.filter));
  const queue = createPagedQueue<Claim>({
    first,
    more: (cursor) => getClaims(props.filter, cursor),
    resetOn: () => JSON.stringify(props.filter),
  });
  let region: HTMLOListElement | undefined;
  const selection = createQueueSelection({ items: queue.items, elementId: claimCardId, emptyId, region: () => region });
  const work = createItemWork<'reject'>();
  const [announcement, setAnnouncement] = createSignal('');

  /** The claim as it now stands: it stays if the filter still shows it, otherwise it leaves. */
  function settle(claim: Claim) {
    if (props.filter.status === 'all' || props.filter.status === claim.status) queue.replace(claim);
    else selection.leave(claim.id, () => queue.remove(claim.id));
  }

  async function approve(claim: Claim) {
    if (claim.status !== 'submitted' || work.isBusy(claim.id)) return;
    work.start(claim.id);
    try {
      const approved = await approveClaim(claim.id);
      work.finish(claim.id);
      const payment = approved.payment;
      setAnnouncement(
        payment
          ? t('claims.approvedPaid', { name: approved.driver.name, points: t('unit.points', { amount: formatPoints(payment.points) }) })
          : t('claims.approved', { name: approved.driver.name }),
      );
      settle(approved);
    } catch (error) {
      work.finish(claim.id, isConflict(error) ? undefined : error);
      if (!isConflict(error)) return;
      // Decided by someone else meanwhile: say so and show it as it stands.
      setAnnouncement(errorWords(error).message);
      const fresh = await fetchFresh<Claim>(`/api/volunteering/${claim.id}`);
      if (fresh) settle(fresh);
    }
  }

  async function reject(claim: Claim, reason: string) {
    const rejected = await rejectClaim(claim.id, reason);
    work.closeForm();
    setAnnouncement(t('claims.rejected', { name: rejected.driver.name }));
    settle(rejected);
  }

  function openReject(claim: Claim) {
    if (claim.status !== 'submitted' || work.isBusy(claim.id)) return;
    selection.select(claim.id, false);
    work.openForm(claim.id, 'reject');
  }

  function cancelReject() {
    work.closeForm();
    selection.focusSelected();
  }

  useQueueKeys({
    region: () => region,
    next: () => {
      if (selection.move(1)) return true;
      if (!queue.hasMore()) return false;
      void queue.loadMore();
    },
    previous: () => selection.move(-1),
    actions: {
      a: () => {
        const claim = selection.selected();
        if (claim) void approve(claim);
      },
      r: () => {
        const claim = selection.selected();
        if (claim) openReject(claim);
      },
    },
  });

  return (
    <>
      <p class="queue-announce" role="status">
        {announcement()}
      </p>
      <Show
        when={queue.items().length > 0}
        fallback={
          <p id={emptyId} class="empty" tabindex="-1">
            {props.filter.status === 'submitted' ? t('claims.emptyQueue') : t('state.empty')}
          </p>
        }
      >
        <ol class="queue" ref={region} aria-label={t('claims.listLabel')}>
          <For each={queue.items()}>
            {(claim) => (
              <ClaimCard
                claim={claim}
                selected={selection.selectedId() === claim.id}
                busy={work.isBusy(claim.id)}
                rejecting={work.formOf(claim.id) === 'reject'}
                error={work.error(claim.id)}
                onSelect={() => selection.select(claim.id, false)}
                onApprove={() => void approve(claim)}
                onOpenReject={() => openReject(claim)}
                onReject={(reason) => reject(claim, reason)}
                onCancelReject={cancelReject}
              />
            )}
          </For>
        </ol>
      </Show>
      <QueueFoot queue={queue} count={queue.items().length} />
    </>
  );
}
