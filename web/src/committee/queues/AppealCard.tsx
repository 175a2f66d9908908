import { Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { translate } from '../../i18n/core';
import { t } from '../messages';
import type { Appeal } from './api';
import { AppealSubject } from './AppealSubject';
import { Fact, PaidFact } from './card-facts';
import { InlineForm } from './InlineForm';
import { QueueCard, queueCardId } from './QueueCard';

export const appealCardId = (id: string) => queueCardId('appeal', id);

export type AppealStep = 'upheld' | 'dismissed';

interface AppealCardProps {
  appeal: Appeal;
  selected: boolean;
  deciding?: AppealStep;
  error?: unknown;
  onSelect: () => void;
  onOpen: (decision: AppealStep) => void;
  onDecide: (decision: AppealStep, note: string) => Promise<void>;
  onCancel: () => void;
}

export function AppealCard(props: AppealCardProps) {
  const appeal = () => props.appeal;
  return (
    <QueueCard
      id={appealCardId(appeal().id)}
      title={t('appeals.cardTitle', { name: appeal().driver.name, subject: t(`appeals.subject.${appeal().subjectType}`) })}
      status={
        <span class="status" classList={{ 'status--muted': appeal().status === 'open', 'status--bad': appeal().status === 'dismissed' }}>
          {t(`appeals.status.${appeal().status}`)}
        </span>
      }
      selected={props.selected}
      onSelect={() => props.onSelect()}
      error={props.error}
    >
      <dl class="facts facts--compact">
        <Fact term={t('appeals.appealed')}>{appeal().subject.summary}</Fact>
        <Fact term={t('appeals.subjectStatus')}>{subjectStatus(appeal())}</Fact>
        <Fact term={t('appeals.reason')}>{appeal().reason}</Fact>
        <Fact term={t('appeals.filedAt')}>{formatDateTime(appeal().createdAt)}</Fact>
        <Show when={appeal().decisionNote}>{(note) => <Fact term={t('appeals.decisionNote')}>{note()}</Fact>}</Show>
        <Show when={appeal().payment}>{(payment) => <PaidFact term={t('appeals.paid')} points={payment().points} />}</Show>
      </dl>
      <AppealSubject appeal={appeal()} />
      <Show when={appeal().status === 'open'}>
        <Show
          when={props.deciding}
          fallback={
            <div class="queue-card__actions">
              <button type="button" class="button button--primary button--small" aria-keyshortcuts="u" onClick={() => props.onOpen('upheld')}>
                {t('appeals.uphold')}
              </button>
              <button type="button" class="button button--small" aria-keyshortcuts="d" onClick={() => props.onOpen('dismissed')}>
                {t('appeals.deny')}
              </button>
            </div>
          }
        >
          {(decision) => (
            <InlineForm
              id={`decide-${appeal().id}`}
              label={decision() === 'upheld' ? t('appeals.upholdNote') : t('appeals.denyNote')}
              hint={t('appeals.noteHint')}
              submitLabel={decision() === 'upheld' ? t('appeals.upholdSubmit') : t('appeals.denySubmit')}
              path="note"
              minLength={3}
              maxLength={2000}
              onSubmit={(note) => props.onDecide(decision(), note)}
              onCancel={() => props.onCancel()}
            />
          )}
        </Show>
      </Show>
    </QueueCard>
  );
}

const statusWords: Record<Appeal['subjectType'], string> = {
  volunteer_claim: 'claims.status',
  grid_report: 'grid.status',
  safety_event: 'appeals.safetyStatus',
};

/** The subject's status as the API names it, in words when there are words for it. */
function subjectStatus(appeal: Appeal): string {
  // The status comes from the server as free text; an unknown one is shown as it came.
  const key = `${statusWords[appeal.subjectType]}.${appeal.subject.status}`;
  const words = translate(key);
  return words === key ? appeal.subject.status : words;
}
