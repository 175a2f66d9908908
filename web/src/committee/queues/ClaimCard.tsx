import { Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { t } from '../messages';
import { photoUrl, type Claim } from './api';
import { ClaimEventFacts, EvidencePhoto, Fact, PaidFact } from './card-facts';
import { InlineForm } from './InlineForm';
import { QueueCard, queueCardId } from './QueueCard';

export const claimCardId = (id: string) => queueCardId('claim', id);

interface ClaimCardProps {
  claim: Claim;
  selected: boolean;
  busy: boolean;
  rejecting: boolean;
  error?: unknown;
  onSelect: () => void;
  onApprove: () => void;
  onOpenReject: () => void;
  onReject: (reason: string) => Promise<void>;
  onCancelReject: () => void;
}

export function ClaimCard(props: ClaimCardProps) {
  const claim = () => props.claim;
  const waiting = () => claim().status === 'submitted';

  return (
    <QueueCard
      id={claimCardId(claim().id)}
      title={t('claims.cardTitle', { name: claim().driver.name, event: claim().event })}
      status={
        <span class="status" classList={{ 'status--bad': claim().status === 'rejected', 'status--muted': waiting() }}>
          {t(`claims.status.${claim().status}`)}
        </span>
      }
      selected={props.selected}
      onSelect={() => props.onSelect()}
      error={props.error}
    >
      <div class="queue-card__body">
        <Show when={claim().photoId}>
          {(photoId) => <EvidencePhoto src={photoUrl(photoId())} alt={t('claims.photoAlt', { event: claim().event })} />}
        </Show>
        <dl class="facts facts--compact">
          <Fact term={t('claims.driver')}>
            {claim().driver.name} · {claim().driver.phone}
          </Fact>
          <ClaimEventFacts claim={claim()} />
          <Fact term={t('claims.submittedAt')}>{formatDateTime(claim().createdAt)}</Fact>
          <Show when={!claim().photoId}>
            <Fact term={t('claims.evidence')}>{t('claims.noPhoto')}</Fact>
          </Show>
          <Show when={claim().importLine}>
            {(line) => <Fact term={t('claims.imported')}>{t('claims.importLine', { line: line() })}</Fact>}
          </Show>
          <Show when={claim().reason}>{(reason) => <Fact term={t('claims.reason')}>{reason()}</Fact>}</Show>
          <Show when={claim().payment}>{(payment) => <PaidFact term={t('claims.paid')} points={payment().points} />}</Show>
        </dl>
      </div>
      <Show when={waiting()}>
        <Show
          when={props.rejecting}
          fallback={
            <div class="queue-card__actions">
              <button type="button" class="button button--primary button--small" disabled={props.busy} onClick={() => props.onApprove()}>
                {props.busy ? t('queue.working') : t('claims.approve')}
              </button>
              <button type="button" class="button button--small" disabled={props.busy} onClick={() => props.onOpenReject()}>
                {t('claims.reject')}
              </button>
            </div>
          }
        >
          <InlineForm
            id={`reject-${claim().id}`}
            label={t('claims.rejectReason')}
            hint={t('claims.rejectReasonHint')}
            submitLabel={t('claims.rejectSubmit')}
            path="reason"
            minLength={3}
            maxLength={500}
            onSubmit={(reason) => props.onReject(reason)}
            onCancel={() => props.onCancelReject()}
          />
        </Show>
      </Show>
    </QueueCard>
  );
}
