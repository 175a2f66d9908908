import { errorWords } from '../../api/error-words';
import { formatPoints } from '../../i18n';
import { t } from '../messages';
import { approveClaim, getClaims, rejectClaim, type Claim, type ClaimFilter } from './api';
import { ClaimCard, claimCardId } from './ClaimCard';
import { fetchFresh } from './fresh';
import { isConflict, createItemWork } from './item-work';
import { WorkQueue, createWorkQueue } from './WorkQueue';

/** The claims of the filter, worked one by one: approve, or reject with a reason. */
export function ClaimQueue(props: { filter: ClaimFilter }) {
  const state = createWorkQueue({
    filter: () => props.filter,
    load: getClaims,
    shows: (claim: Claim) => props.filter.status === 'all' || props.filter.status === claim.status,
    cardId: claimCardId,
    emptyId: 'claims-empty',
  });
  const work = createItemWork<'reject'>();

  async function approve(claim: Claim) {
    if (claim.status !== 'submitted' || work.isBusy(claim.id)) return;
    work.start(claim.id);
    try {
      const approved = await approveClaim(claim.id);
      work.finish(claim.id);
      const payment = approved.payment;
      state.announce(
        payment
          ? t('claims.approvedPaid', { name: approved.driver.name, points: t('unit.points', { amount: formatPoints(payment.points) }) })
          : t('claims.approved', { name: approved.driver.name }),
      );
      state.settle(approved);
    } catch (error) {
      work.finish(claim.id, isConflict(error) ? undefined : error);
      if (!isConflict(error)) return;
      // Decided by someone else meanwhile: say so and show it as it stands.
      state.announce(errorWords(error).message);
      const fresh = await fetchFresh<Claim>(`/api/volunteering/${claim.id}`);
      if (fresh) state.settle(fresh);
    }
  }

  async function reject(claim: Claim, reason: string) {
    const rejected = await rejectClaim(claim.id, reason);
    work.closeForm();
    state.announce(t('claims.rejected', { name: rejected.driver.name }));
    state.settle(rejected);
  }

  function openReject(claim: Claim) {
    if (claim.status !== 'submitted' || work.isBusy(claim.id)) return;
    state.selection.select(claim.id, false);
    work.openForm(claim.id, 'reject');
  }

  return (
    <WorkQueue
      state={state}
      label={t('claims.listLabel')}
      emptyText={props.filter.status === 'submitted' ? t('claims.emptyQueue') : t('state.empty')}
      keys={{ a: (claim) => void approve(claim), r: openReject }}
    >
      {(claim) => (
        <ClaimCard
          claim={claim}
          selected={state.selection.selectedId() === claim.id}
          busy={work.isBusy(claim.id)}
          rejecting={work.formOf(claim.id) === 'reject'}
          error={work.error(claim.id)}
          onSelect={() => state.selection.select(claim.id, false)}
          onApprove={() => void approve(claim)}
          onOpenReject={() => openReject(claim)}
          onReject={(reason) => reject(claim, reason)}
          onCancelReject={() => {
            work.closeForm();
            state.selection.focusSelected();
          }}
        />
      )}
    </WorkQueue>
  );
}
