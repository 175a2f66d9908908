import { Show, type JSX } from 'solid-js';

interface FieldProps {
  /** The form's id; the input's id is `${form}-${name}`, which error summaries link to. */
  form: string;
  /** The form field name, and the `errors[].path` the API uses for it. */
  name: string;
  label: string;
  type?: 'text' | 'tel' | 'password';
  autocomplete: JSX.InputHTMLAttributes<HTMLInputElement>['autocomplete'];
  inputMode?: JSX.InputHTMLAttributes<HTMLInputElement>['inputMode'];
  autocapitalize?: 'off' | 'words' | 'characters';
  hint?: string;
  error?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

export function fieldId(form: string, name: string): string {
  return `${form}-${name}`;
}

/** A labelled input with an optional hint and error, both tied to it for screen readers. */
export function Field(props: FieldProps) {
  const id = () => fieldId(props.form, props.name);
  const hintId = () => `${id()}-hint`;
  const errorId = () => `${id()}-error`;
  const describedBy = () =>
    [props.hint ? hintId() : undefined, props.error ? errorId() : undefined]
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <div class="field" classList={{ 'field--invalid': Boolean(props.error) }}>
      <label for={id()}>{props.label}</label>
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
        id={id()}
        name={props.name}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        required={props.required ?? true}
        minLength={props.minLength}
        maxLength={props.maxLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        autocapitalize={props.autocapitalize ?? 'off'}
        spellcheck={false}
      />
    </div>
  );
}
