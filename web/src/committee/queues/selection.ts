import { type Accessor, createMemo, createSignal } from 'solid-js';

/**
 * Which item of a queue is selected, and keeping focus sensible as items leave: the item that
 * takes the place of the one decided is selected and focused, so a person working from the
 * keyboard stays in the queue, and an empty queue hands focus to the message saying so.
 */
export function createQueueSelection<T extends { id: string }>(options: {
  items: Accessor<T[]>;
  /** The id of the element that stands for an item (its card), focused when it is selected. */
  elementId: (id: string) => string;
  /** Focused when the last item leaves. */
  emptyId: string;
  region: () => HTMLElement | undefined;
}) {
  const [chosen, setChosen] = createSignal<string>();

  const selectedId = createMemo(() => {
    const list = options.items();
    const id = chosen();
    return id !== undefined && list.some((item) => item.id === id) ? id : list[0]?.id;
  });
  const selected = () => options.items().find((item) => item.id === selectedId());

  function focusElement(id: string) {
    const element = document.getElementById(id);
    if (!element) return;
    element.focus();
    element.scrollIntoView?.({ block: 'nearest' });
  }

  function select(id: string, focus = true) {
    setChosen(id);
    if (focus) focusElement(options.elementId(id));
  }

  /** Moves by `delta`; answers false at either end. */
  function move(delta: number): boolean {
    const list = options.items();
    if (list.length === 0) return false;
    const at = list.findIndex((item) => item.id === selectedId());
    const to = at + delta;
    if (to < 0 || to >= list.length) return false;
    select(list[to]!.id);
    return true;
  }

  function focusWasInQueue(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || Boolean(options.region()?.contains(active));
  }

  /** Runs `remove` for the item, then selects the one now in its place (or the new last one). */
  function leave(id: string, remove: () => void) {
    const before = options.items();
    const at = before.findIndex((item) => item.id === id);
    const wasSelected = selectedId() === id;
    const refocus = focusWasInQueue();
    remove();
    const after = options.items();
    if (!wasSelected) return;
    const next = after[Math.min(Math.max(at, 0), after.length - 1)];
    if (next) {
      setChosen(next.id);
      if (refocus) focusElement(options.elementId(next.id));
    } else if (refocus) {
      focusElement(options.emptyId);
    }
  }

  function focusSelected() {
    const id = selectedId();
    if (id !== undefined) focusElement(options.elementId(id));
  }

  return { selectedId, selected, select, move, leave, focusSelected };
}

export type QueueSelection<T extends { id: string }> = ReturnType<typeof createQueueSelection<T>>;
