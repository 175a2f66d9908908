import { Show, createSignal } from 'solid-js';
import { AddStaffForm } from './AddStaffForm';
import type { Partner } from './api';
import { partnerKindWords, partnerStatusWords } from './labels';
import { t } from './messages';
import { SettlementForm } from './SettlementForm';

type Task = 'staff' | 'settle';

/** One partner, with its two tasks opening inside the card. */
export function PartnerCard(props: { partner: Partner }) {
  const [task, setTask] = createSignal<Task>();
  const titleId = () => `partner-${props.partner.id}-title`;
  const toggle = (next: Task) => setTask((open) => (open === next ? undefined : next));

  return (
    <article class="card admin-card" aria-labelledby={titleId()}>
      <div class="card__head">
        <h2 class="card__title" id={titleId()}>
          {props.partner.name}
        </h2>
        <span class="status" classList={{ 'status--muted': props.partner.status !== 'active' }}>
          {partnerStatusWords(props.partner.status)}
        </span>
      </div>
      <p>
        {partnerKindWords(props.partner.kind)} · {props.partner.region}
      </p>
      <Show when={props.partner.address || props.partner.contact}>
        <p class="admin-meta">{[props.partner.address, props.partner.contact].filter(Boolean).join(' · ')}</p>
      </Show>
      <div class="actions">
        <button type="button" class="button button--small" aria-expanded={task() === 'staff'} onClick={() => toggle('staff')}>
          {t('partnersAdmin.staff.open')}
        </button>
        <button type="button" class="button button--small" aria-expanded={task() === 'settle'} onClick={() => toggle('settle')}>
          {t('partnersAdmin.settle.open')}
        </button>
      </div>
      <Show when={task() === 'staff'}>
        <AddStaffForm partner={props.partner} onClose={() => setTask(undefined)} />
      </Show>
      <Show when={task() === 'settle'}>
        <SettlementForm partner={props.partner} onClose={() => setTask(undefined)} />
      </Show>
    </article>
  );
}
