import { For } from 'solid-js';

interface QueueFilterProps<V extends string> {
  id: string;
  label: string;
  value: V;
  options: readonly V[];
  optionLabel: (value: V) => string;
  onChange: (value: V) => void;
}

/** One labelled choice above a queue (status, category, order). */
export function QueueFilter<V extends string>(props: QueueFilterProps<V>) {
  return (
    <div class="field queue-filters__field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value as V)}>
        <For each={props.options}>{(option) => <option value={option}>{props.optionLabel(option)}</option>}</For>
      </select>
    </div>
  );
}
