import type { JSX } from 'solid-js';
import { FieldFrame } from '../components/Field';

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
  return (
    <FieldFrame id={props.id} label={props.label} hint={props.hint} error={props.error} class={props.class}>
      {(control) => (
        <input
          {...control}
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
        />
      )}
    </FieldFrame>
  );
}
