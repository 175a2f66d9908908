import { onCleanup, onMount } from 'solid-js';

/** True when the key went to something a person types into: shortcuts stay out of the way. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** A shortcut's work; answering false leaves the key to the browser (an arrow at the end scrolls). */
type Run = () => boolean | void;

/**
 * A queue's keyboard: j / ↓ next, k / ↑ previous, and single letters for its actions. Letters
 * work anywhere on the page except while typing; the arrows only when focus is in the queue (or
 * nowhere), so they still scroll and work menus elsewhere. Keys with Ctrl, Alt or ⌘ are left to
 * the browser.
 */
export function useQueueKeys(options: {
  region: () => HTMLElement | undefined;
  next?: Run;
  previous?: Run;
  actions: Record<string, Run>;
}) {
  const keys: Record<string, Run | undefined> = {
    ...options.actions,
    j: options.next,
    ArrowDown: options.next,
    k: options.previous,
    ArrowUp: options.previous,
  };

  function onKeyDown(event: KeyboardEvent) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (isTyping(event.target)) return;
    const run = keys[event.key];
    if (!run) return;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !inQueue(event.target)) return;
    // After the action, so the letter also stays out of an input the action opened and focused.
    if (run() !== false) event.preventDefault();
  }

  function inQueue(target: EventTarget | null): boolean {
    if (target === document.body || target === null) return true;
    return target instanceof Node && Boolean(options.region()?.contains(target));
  }

  onMount(() => document.addEventListener('keydown', onKeyDown));
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));
}
