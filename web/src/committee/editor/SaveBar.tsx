import { Show } from 'solid-js';
import { t } from '../messages';
import type { SimulationGate } from './simulation-gate';

/** The save button, held until the draft as it stands has been simulated. */
export function SaveBar(props: { id: string; label: string; gate: SimulationGate<unknown>; saving: boolean }) {
  const hintId = () => `${props.id}-save-hint`;
  return (
    <div class="editor-save">
      <p id={hintId()} class="field__hint">
        <Show when={props.gate.current()} fallback={props.gate.result() !== undefined ? t('editor.simStale') : t('editor.simFirst')}>
          {t('editor.simDone')}
        </Show>
      </p>
      <button
        type="submit"
        class="button button--primary"
        disabled={!props.gate.current() || props.saving}
        aria-describedby={hintId()}
      >
        {props.saving ? t('state.saving') : props.label}
      </button>
    </div>
  );
}
