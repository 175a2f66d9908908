import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';

/** What the control inside a FieldFrame spreads on itself: its id and what describes it. */
export interface ControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}

interface FieldFrameProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  class?: string;
  /** The control (input, select, textarea): spread the given props on it (they stay reactive). */
  children: (control: ControlProps) => JSX.Element;
}

/** A label, hint and error around any control, both tied to it for screen readers. */
export function FieldFrame(props: FieldFrameProps) {
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
    <div class={props.class ? `field ${props.class}` : 'field'} classList={{ 'field--invalid': Boolean(props.error) }}>
      <label for={props.id}>
        {props.label}
        <Show when={props.optional}>
          <span class="field__optional"> {t('field.optional')}</span>
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
  return (
    <FieldFrame id={fieldId(props.form, props.name)} label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          {...control}
          name={props.name}
          type={props.type ?? 'text'}
          autocomplete={props.autocomplete}
          inputMode={props.inputMode}
          required={props.required ?? true}
          minLength={props.minLength}
          maxLength={props.maxLength}
          autocapitalize={props.autocapitalize ?? 'off'}
          spellcheck={false}
        />
      )}
    </FieldFrame>
  );
}
