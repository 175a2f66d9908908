import { Show, createMemo, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { errorWords, fieldError, type ErrorWords } from '../../api/error-words';
import type { ProblemFieldError } from '../../api/client';
import { InputField } from '../InputField';

/**
 * An editor's draft, kept flat by the API's field path ("safety.weight", "terms.caps.month"):
 * every value is the string the person typed, every problem the API names lands next to the
 * input with that path, and the error summary links each problem to its input.
 */
export function createDraftForm(options: {
  id: string;
  initial: Record<string, string>;
  /** The API's path for a field, as the form names it (e.g. "policy.safety.weight" → "safety.weight"). */
  normalize?: (path: string) => string;
}) {
  const [values, setValues] = createStore<Record<string, string>>({ ...options.initial });
  const [failure, setFailure] = createSignal<ErrorWords>();
  const fields: Record<string, { id: string; label: string }> = {};
  const normalize = options.normalize ?? ((path: string) => path);
  const fieldId = (path: string) => `${options.id}-${path.replaceAll('.', '-')}`;

  const words = createMemo(() => {
    const failed = failure();
    if (!failed) return undefined;
    return { ...failed, fieldErrors: failed.fieldErrors.map((e) => ({ ...e, path: normalize(e.path) })) };
  });

  return {
    id: options.id,
    value: (path: string) => values[path] ?? '',
    set: (path: string, value: string) => setValues(path, value),
    fieldId,
    error: (path: string) => fieldError(words(), path),
    /** Names an input for the error summary; `label` is read when the summary shows. */
    register(path: string, label: () => string, id = fieldId(path)) {
      fields[path] = {
        id,
        get label() {
          return label();
        },
      };
    },
    fields,
    failure: words,
    fail: (error: unknown) => setFailure(errorWords(error)),
    /**
     * What `build` makes of the form, or undefined when it finds problems (whole numbers that
     * are not, a missing day): those then show like the API's, under `message`.
     */
    checked<T>(build: (problems: ProblemFieldError[]) => T, message: string): T | undefined {
      setFailure(undefined);
      const problems: ProblemFieldError[] = [];
      const value = build(problems);
      if (problems.length === 0) return value;
      setFailure({ message, fieldErrors: problems });
      return undefined;
    },
  };
}

export type DraftForm = ReturnType<typeof createDraftForm>;

interface DraftInputProps {
  form: DraftForm;
  path: string;
  label: string;
  hint?: string;
  inputMode?: JSX.InputHTMLAttributes<HTMLInputElement>['inputMode'];
  type?: 'text' | 'date';
  required?: boolean;
  maxLength?: number;
  class?: string;
}

/** An input of a draft form. Amounts are text with a decimal keypad; the string goes as it is. */
export function DraftInput(props: DraftInputProps) {
  props.form.register(props.path, () => props.label);
  return (
    <InputField
      id={props.form.fieldId(props.path)}
      label={props.label}
      hint={props.hint}
      value={props.form.value(props.path)}
      onValue={(value) => props.form.set(props.path, value)}
      error={props.form.error(props.path)}
      inputMode={props.inputMode ?? 'decimal'}
      type={props.type}
      required={props.required}
      maxLength={props.maxLength}
      class={props.class}
    />
  );
}

/** A problem the API names for a group of inputs (e.g. "weights"), shown above them. */
export function GroupError(props: { form: DraftForm; path: string }) {
  return (
    <Show when={props.form.error(props.path)}>
      {(message) => (
        <p class="field__error" id={`${props.form.fieldId(props.path)}-error`}>
          {message()}
        </p>
      )}
    </Show>
  );
}

/** A whole number typed as text: the number, or a problem for the summary. */
export function wholeNumber(
  form: DraftForm,
  path: string,
  problems: ProblemFieldError[],
  message: string,
  optional = false,
): number | undefined {
  const raw = form.value(path).trim();
  if (raw === '' && optional) return undefined;
  if (!/^\d{1,7}$/.test(raw)) {
    problems.push({ path, message });
    return undefined;
  }
  return Number.parseInt(raw, 10);
}
