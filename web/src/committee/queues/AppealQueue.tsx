import { createAsync } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import { formatPoints } from '../../i18n';
import { t } from '../messages';
import { decideAppeal, getAppeals, type Appeal, type AppealFilter } from './api';
import { AppealCard, appealCardId, type AppealStep } from './AppealCard';
import { createItemWork } from './item-work';
import { createPagedQueue } from './paged-queue';
import { QueueFoot } from './QueueFoot';
import { useQueueKeys } from './queue-keys';
import { createQueueSelection } from './selection';

const emptyId = 'appeals-empty';

/** The appeals of the filter: uphold or deny each, with a note the driver reads. */
export function AppealQueue(props: { filter: AppealFilter }) {
  const first = createAsync(() => getAppeals(props.filter));
  const queue = createPagedQueue<Appeal>({
    first,
    more: (cursor) => getAppeals(props.filter, cursor),
    resetOn: () => JSON.stringify(props.filter),
  });
  let region: HTMLOListElement | undefined;
  const selection = createQueueSelection({ items: queue.items, elementId: appealCardId, emptyId, region: () => region });
  const work = createItemWork<AppealStep>();
  const [announcement, setAnnouncement] = createSignal('');

  function open(appeal: Appeal, decision: AppealStep) {
    if (appeal.status !== 'open') return;
    selection.select(appeal.id, false);
    work.openForm(appeal.id, decision);
  }

  async function decide(appeal: Appeal, decision: AppealStep, note: string) {
    const decided = await decideAppeal(appeal.id, { decision, note });
    work.closeForm();
    setAnnouncement(
      decided.status === 'upheld'
        ? decided.payment
          ? t('appeals.upheldPaid', { name: decided.driver.name, points: t('unit.points', { amount: formatPoints(decided.payment.points) }) })
          : t('appeals.upheldDone', { name: decided.driver.name })
        : t('appeals.deniedDone', { name: decided.driver.name }),
    );
    if (props.filter.status === 'all' || props.filter.status === decided.status) queue.replace(decided);
    else selection.leave(decided.id, () => queue.remove(decided.id));
  }

  const openSelected = (decision: AppealStep) => () => {
    const appeal = selection.selected();
    if (appeal) open(appeal, decision);
  };

  useQueueKeys({
    region: () => region,
    next: () => {
      if (selection.move(1)) return true;
      if (!queue.hasMore()) return false;
      void queue.loadMore();
    },
    previous: () => selection.move(-1),
    actions: { u: openSelected('upheld'), d: openSelected('dismissed') },
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
            {props.filter.status === 'open' ? t('appeals.emptyQueue') : t('state.empty')}
          </p>
        }
      >
        <ol class="queue" ref={region} aria-label={t('appeals.listLabel')}>
          <For each={queue.items()}>
            {(appeal) => (
              <AppealCard
                appeal={appeal}
                selected={selection.selectedId() === appeal.id}
                deciding={work.formOf(appeal.id)}
                error={work.error(appeal.id)}
                onSelect={() => selection.select(appeal.id, false)}
                onOpen={(decision) => open(appeal, decision)}
                onDecide={(decision, note) => decide(appeal, decision, note)}
                onCancel={() => {
                  work.closeForm();
                  selection.focusSelected();
                }}
              />
            )}
          </For>
        </ol>
      </Show>
      <QueueFoot queue={queue} count={queue.items().length} />
    </>
  );
}
