import { Show, type JSX } from 'solid-js';
import { errorWords } from '../../api/error-words';

interface QueueCardProps {
  /** The card's element id, which the queue focuses when the item is selected. */
  id: string;
  title: JSX.Element;
  status: JSX.Element;
  selected: boolean;
  onSelect: () => void;
  error?: unknown;
  children: JSX.Element;
}

export const queueCardId = (kind: string, id: string) => `${kind}-${id}`;

/**
 * One item of a work queue. The selected card is marked (aria-current) and takes focus when the
 * keyboard moves to it; focusing or clicking anything inside a card selects it.
 */
export function QueueCard(props: QueueCardProps) {
  const titleId = () => `${props.id}-title`;
  return (
    <li class="queue__item">
      <article
        id={props.id}
        class="queue-card"
        classList={{ 'queue-card--selected': props.selected }}
        tabindex="-1"
        aria-labelledby={titleId()}
        aria-current={props.selected ? 'true' : undefined}
        onFocusIn={() => props.onSelect()}
        onClick={() => props.onSelect()}
      >
        <header class="queue-card__head">
          <h2 id={titleId()} class="queue-card__title">
            {props.title}
          </h2>
          {props.status}
        </header>
        {props.children}
        <Show when={props.error}>
          {(error) => (
            <p class="queue-card__error" role="alert">
              {errorWords(error()).message}
            </p>
          )}
        </Show>
      </article>
    </li>
  );
}
