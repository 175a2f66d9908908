import { Show, createSignal, onMount } from 'solid-js';
import { InputField } from '../InputField';
import { t } from '../messages';
import { createInputSubmission } from './input-submission';

interface InlineFormProps {
  /** Unique on the page: the form's and its input's ids derive from it. */
  id: string;
  label: string;
  hint?: string;
  submitLabel: string;
  /** The API's `errors[].path` for this input, so its complaint shows next to it. */
  path: string;
  initial?: string;
  minLength?: number;
  maxLength?: number;
  onSubmit: (value: string) => Promise<void>;
  onCancel: () => void;
}

/**
 * One input and a button, opened for a single step of a queue item: a rejection reason, the
 * department a report goes to, the note on an appeal. Its input takes focus when it opens; Enter
 * sends, Esc (or Cancel) closes it. A failure is shown next to the input and the value is kept.
 */
export function InlineForm(props: InlineFormProps) {
  const [value, setValue] = createSignal(props.initial ?? '');
  let input: HTMLInputElement | undefined;
  const submission = createInputSubmission({ path: () => props.path, focus: () => input?.focus() });
  onMount(() => input?.focus());

  function submit(event: SubmitEvent) {
    event.preventDefault();
    void submission.send(() => props.onSubmit(value().trim()));
  }

  return (
    <form
      id={props.id}
      class="inline-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        props.onCancel();
      }}
    >
      <InputField
        id={`${props.id}-input`}
        label={props.label}
        hint={props.hint}
        value={value()}
        onValue={setValue}
        error={submission.error()}
        required
        minLength={props.minLength}
        maxLength={props.maxLength}
        ref={(element) => (input = element)}
      />
      <Show when={submission.failure()?.hint}>{(hint) => <p class="field__hint">{hint()}</p>}</Show>
      <div class="inline-form__actions">
        <button type="submit" class="button button--primary button--small" disabled={submission.pending()}>
          {submission.pending() ? t('state.saving') : props.submitLabel}
        </button>
        <button type="button" class="button button--small" onClick={() => props.onCancel()}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
