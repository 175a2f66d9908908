import { Show } from 'solid-js';
import { t } from '../messages';

/** The save button, held until the draft as it stands has been simulated. */
export function SaveBar(props: { id: string; label: string; simulated: boolean; hasResult: boolean; saving: boolean }) {
  const hintId = () => `${props.id}-save-hint`;
  return (
    <div class="editor-save">
      <p id={hintId()} class="field__hint">
        <Show when={props.simulated} fallback={props.hasResult ? t('editor.simStale') : t('editor.simFirst')}>
          {t('editor.simDone')}
        </Show>
      </p>
      <button
        type="submit"
        class="button button--primary"
        disabled={!props.simulated || props.saving}
        aria-describedby={hintId()}
      >
        {props.saving ? t('state.saving') : props.label}
      </button>
    </div>
  );
}
