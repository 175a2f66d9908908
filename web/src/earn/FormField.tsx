import { Show, type JSX } from 'solid-js';
import { t } from './messages';

/** What the control inside a FormField spreads on itself: its id and what describes it. */
export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}

interface FormFieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  /** The control (input, select, textarea): spread the given props on it (they stay reactive). */
  children: (control: ControlProps) => JSX.Element;
}

/**
 * A label, hint and error around any control, tied to it for screen readers; like the shared
 * Field, for the controls it does not offer (date, select, textarea, file).
 */
export function FormField(props: FormFieldProps) {
  const hintId = () => `${props.id}-hint`;
  const errorId = () => `${props.id}-error`;
  const control: ControlProps = {
    get id() {
      return props.id;
    },
    get 'aria-describedby'() {
      return [props.hint ? hintId() : undefined, props.error ? errorId() : undefined].filter(Boolean).join(' ') || undefined;
    },
    get 'aria-invalid'() {
      return props.error ? ('true' as const) : undefined;
    },
  };

  return (
    <div class="field" classList={{ 'field--invalid': Boolean(props.error) }}>
      <label for={props.id}>
        {props.label}
        <Show when={props.optional}>
          <span class="earn-optional"> {t('earn.form.optional')}</span>
        </Show>
      </label>
      <Show when={props.hint}>
        {(hint) => (
          <p class="field__hint" id={hintId()}>
            {hint()}
          </p>
        )}
      </Show>
      <Show when={props.error}>
        {(error) => (
          <p class="field__error" id={errorId()}>
            {error()}
          </p>
        )}
      </Show>
      {props.children(control)}
    </div>
  );
}
