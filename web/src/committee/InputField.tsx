import { Show, type JSX } from 'solid-js';

interface InputFieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  error?: string;
  type?: 'text' | 'date' | 'number';
  inputMode?: JSX.InputHTMLAttributes<HTMLInputElement>['inputMode'];
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
  ref?: (element: HTMLInputElement) => void;
  onKeyDown?: JSX.EventHandler<HTMLInputElement, KeyboardEvent>;
  class?: string;
}

/**
 * A labelled, controlled input with its hint and error tied to it (aria-describedby). Amounts
 * use it as text with `inputMode="decimal"`: the value stays the string the person typed and
 * travels to the API as that string.
 */
export function InputField(props: InputFieldProps) {
  const hintId = () => `${props.id}-hint`;
  const errorId = () => `${props.id}-error`;
  const describedBy = () =>
    [props.hint ? hintId() : undefined, props.error ? errorId() : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <div class={`field ${props.class ?? ''}`} classList={{ 'field--invalid': Boolean(props.error) }}>
      <label for={props.id}>{props.label}</label>
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
      <input
        id={props.id}
        ref={(element) => props.ref?.(element)}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        onKeyDown={(event) => props.onKeyDown?.(event)}
        inputMode={props.inputMode}
        required={props.required}
        minLength={props.minLength}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
      />
    </div>
  );
}
