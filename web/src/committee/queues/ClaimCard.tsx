import { Show } from 'solid-js';
import { formatDate, formatDateTime, formatNumber, formatPoints } from '../../i18n';
import { t } from '../messages';
import { photoUrl, type Claim } from './api';
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
          {(photoId) => (
            <a class="queue-card__photo" href={photoUrl(photoId())} target="_blank" rel="noopener">
              <img src={photoUrl(photoId())} alt={t('claims.photoAlt', { event: claim().event })} loading="lazy" />
            </a>
          )}
        </Show>
        <dl class="facts facts--compact">
          <div>
            <dt>{t('claims.driver')}</dt>
            <dd>
              {claim().driver.name} · {claim().driver.phone}
            </dd>
          </div>
          <div>
            <dt>{t('claims.event')}</dt>
            <dd>{claim().event}</dd>
          </div>
          <div>
            <dt>{t('claims.date')}</dt>
            <dd>{formatDate(claim().date)}</dd>
          </div>
          <div>
            <dt>{t('claims.hours')}</dt>
            <dd>{t('claims.hoursValue', { hours: formatNumber(claim().hours) })}</dd>
          </div>
          <div>
            <dt>{t('claims.organiser')}</dt>
            <dd>{claim().organiser ?? t('claims.noOrganiser')}</dd>
          </div>
          <div>
            <dt>{t('claims.submittedAt')}</dt>
            <dd>{formatDateTime(claim().createdAt)}</dd>
          </div>
          <Show when={!claim().photoId}>
            <div>
              <dt>{t('claims.evidence')}</dt>
              <dd>{t('claims.noPhoto')}</dd>
            </div>
          </Show>
          <Show when={claim().importLine}>
            {(line) => (
              <div>
                <dt>{t('claims.imported')}</dt>
                <dd>{t('claims.importLine', { line: line() })}</dd>
              </div>
            )}
          </Show>
          <Show when={claim().reason}>
            {(reason) => (
              <div>
                <dt>{t('claims.reason')}</dt>
                <dd>{reason()}</dd>
              </div>
            )}
          </Show>
          <Show when={claim().payment}>
            {(payment) => (
              <div>
                <dt>{t('claims.paid')}</dt>
                <dd class="points">{t('unit.points', { amount: formatPoints(payment().points) })}</dd>
              </div>
            )}
          </Show>
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
