import { For, Show, type JSX } from 'solid-js';
import { fieldId } from '../../components/Field';

interface ControlProps {
  /** The form's id; the control's id is `${form}-${name}`, which error summaries link to. */
  form: string;
  /** The form field name, and the `errors[].path` the API uses for it. */
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

/** Label, hint and error around one control, tied to it for screen readers. */
function Control(props: ControlProps & { children: (aria: ControlAria) => JSX.Element }) {
  const id = () => fieldId(props.form, props.name);
  const describedBy = () =>
    [props.hint ? `${id()}-hint` : undefined, props.error ? `${id()}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ 'field--invalid': Boolean(props.error) }}>
      <label for={id()}>{props.label}</label>
      <Show when={props.hint}>
        {(hint) => (
          <p class="field__hint" id={`${id()}-hint`}>
            {hint()}
          </p>
        )}
      </Show>
      <Show when={props.error}>
        {(error) => (
          <p class="field__error" id={`${id()}-error`}>
            {error()}
          </p>
        )}
      </Show>
      {props.children({
        get id() {
          return id();
        },
        get describedBy() {
          return describedBy();
        },
        get invalid() {
          return props.error ? ('true' as const) : undefined;
        },
      })}
    </div>
  );
}

interface ControlAria {
  id: string;
  describedBy: string | undefined;
  invalid: 'true' | undefined;
}

export function InputControl(
  props: ControlProps & {
    type?: 'text' | 'tel' | 'password' | 'date' | 'number';
    value?: string;
    required?: boolean;
    autocomplete?: string;
    inputMode?: JSX.InputHTMLAttributes<HTMLInputElement>['inputMode'];
    min?: number;
    max?: number;
    maxLength?: number;
    ref?: (element: HTMLInputElement) => void;
    onInput?: (value: string) => void;
  },
) {
  return (
    <Control form={props.form} name={props.name} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <input
          ref={(element) => props.ref?.(element)}
          id={aria.id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          required={props.required ?? false}
          autocomplete={props.autocomplete ?? 'off'}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
          maxLength={props.maxLength}
          spellcheck={false}
          aria-invalid={aria.invalid}
          aria-describedby={aria.describedBy}
          onInput={(event) => props.onInput?.(event.currentTarget.value)}
        />
      )}
    </Control>
  );
}

export function TextAreaControl(
  props: ControlProps & { value?: string; rows?: number; maxLength?: number; required?: boolean; onInput?: (value: string) => void },
) {
  return (
    <Control form={props.form} name={props.name} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <textarea
          id={aria.id}
          name={props.name}
          rows={props.rows ?? 3}
          maxLength={props.maxLength}
          required={props.required ?? false}
          aria-invalid={aria.invalid}
          aria-describedby={aria.describedBy}
          value={props.value ?? ''}
          onInput={(event) => props.onInput?.(event.currentTarget.value)}
        />
      )}
    </Control>
  );
}

export function SelectControl(
  props: ControlProps & { options: { value: string; label: string }[]; value?: string; onChange?: (value: string) => void },
) {
  return (
    <Control form={props.form} name={props.name} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <select
          id={aria.id}
          name={props.name}
          aria-invalid={aria.invalid}
          aria-describedby={aria.describedBy}
          onChange={(event) => props.onChange?.(event.currentTarget.value)}
        >
          <For each={props.options}>
            {(option) => (
              <option value={option.value} selected={option.value === props.value}>
                {option.label}
              </option>
            )}
          </For>
        </select>
      )}
    </Control>
  );
}
