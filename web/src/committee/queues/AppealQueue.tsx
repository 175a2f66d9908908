import { formatPoints } from '../../i18n';
import { t } from '../messages';
import { decideAppeal, getAppeals, type Appeal, type AppealFilter } from './api';
import { AppealCard, appealCardId, type AppealStep } from './AppealCard';
import { createItemWork } from './item-work';
import { WorkQueue, createWorkQueue } from './WorkQueue';

/** The appeals of the filter: uphold or deny each, with a note the driver reads. */
export function AppealQueue(props: { filter: AppealFilter }) {
  const state = createWorkQueue({
    filter: () => props.filter,
    load: getAppeals,
    shows: (appeal: Appeal) => props.filter.status === 'all' || props.filter.status === appeal.status,
    cardId: appealCardId,
    emptyId: 'appeals-empty',
  });
  const work = createItemWork<AppealStep>();

  function open(appeal: Appeal, decision: AppealStep) {
    if (appeal.status !== 'open') return;
    state.selection.select(appeal.id, false);
    work.openForm(appeal.id, decision);
  }

  async function decide(appeal: Appeal, decision: AppealStep, note: string) {
    const decided = await decideAppeal(appeal.id, { decision, note });
    work.closeForm();
    state.announce(
      decided.status === 'upheld'
        ? decided.payment
          ? t('appeals.upheldPaid', { name: decided.driver.name, points: t('unit.points', { amount: formatPoints(decided.payment.points) }) })
          : t('appeals.upheldDone', { name: decided.driver.name })
        : t('appeals.deniedDone', { name: decided.driver.name }),
    );
    state.settle(decided);
  }

  return (
    <WorkQueue
      state={state}
      label={t('appeals.listLabel')}
      emptyText={props.filter.status === 'open' ? t('appeals.emptyQueue') : t('state.empty')}
      keys={{ u: (appeal) => open(appeal, 'upheld'), d: (appeal) => open(appeal, 'dismissed') }}
    >
      {(appeal) => (
        <AppealCard
          appeal={appeal}
          selected={state.selection.selectedId() === appeal.id}
          deciding={work.formOf(appeal.id)}
          error={work.error(appeal.id)}
          onSelect={() => state.selection.select(appeal.id, false)}
          onOpen={(decision) => open(appeal, decision)}
          onDecide={(decision, note) => decide(appeal, decision, note)}
          onCancel={() => {
            work.closeForm();
            state.selection.focusSelected();
          }}
        />
      )}
    </WorkQueue>
  );
}
