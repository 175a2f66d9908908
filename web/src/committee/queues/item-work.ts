import { createSignal } from 'solid-js';
import { ApiProblem } from '../../api/client';

/**
 * What is going on with the items of a queue: which are being sent, which failed and why, and
 * which one has a step's form open (one at a time, as one person works one item).
 */
export function createItemWork<Step extends string>() {
  const [busy, setBusy] = createSignal<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = createSignal<ReadonlyMap<string, unknown>>(new Map());
  const [form, setForm] = createSignal<{ id: string; step: Step }>();

  const without = <V,>(map: ReadonlyMap<string, V>, id: string) => {
    const next = new Map(map);
    next.delete(id);
    return next;
  };

  return {
    isBusy: (id: string) => busy().has(id),
    error: (id: string) => errors().get(id),
    formOf: (id: string): Step | undefined => (form()?.id === id ? form()?.step : undefined),
    openForm: (id: string, step: Step) => {
      setErrors((map) => without(map, id));
      setForm({ id, step });
    },
    closeForm: () => setForm(undefined),
    start: (id: string) => {
      setBusy((ids) => new Set(ids).add(id));
      setErrors((map) => without(map, id));
    },
    finish: (id: string, error?: unknown) => {
      setBusy((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
      if (error !== undefined) setErrors((map) => new Map(map).set(id, error));
    },
  };
}

/** Someone else got there first: the item is no longer in the state the action needs. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 409;
}
