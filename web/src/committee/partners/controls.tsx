import { For, type JSX } from 'solid-js';
import { FieldFrame, fieldId } from '../../components/Field';

interface ControlProps {
  /** The form's id; the control's id is `${form}-${name}`, which error summaries link to. */
  form: string;
  /** The form field name, and the `errors[].path` the API uses for it. */
  name: string;
  label: string;
  hint?: string;
  error?: string;
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
    <FieldFrame id={fieldId(props.form, props.name)} label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          ref={(element) => props.ref?.(element)}
          {...control}
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
          onInput={(event) => props.onInput?.(event.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

export function TextAreaControl(
  props: ControlProps & { value?: string; rows?: number; maxLength?: number; required?: boolean; onInput?: (value: string) => void },
) {
  return (
    <FieldFrame id={fieldId(props.form, props.name)} label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <textarea
          {...control}
          name={props.name}
          rows={props.rows ?? 3}
          maxLength={props.maxLength}
          required={props.required ?? false}
          value={props.value ?? ''}
          onInput={(event) => props.onInput?.(event.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

export function SelectControl(
  props: ControlProps & { options: { value: string; label: string }[]; value?: string; onChange?: (value: string) => void },
) {
  return (
    <FieldFrame id={fieldId(props.form, props.name)} label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <select
          {...control}
          name={props.name}
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
    </FieldFrame>
  );
}
