import { Show, createSignal } from 'solid-js';
import { errorWords, fieldError, type ErrorWords } from '../../api/error-words';
import { t } from '../messages';
import { uploadImport, type ImportDetail } from './api';

const inputId = 'import-file';

/** Choose the attendance CSV and send it. */
export function UploadForm(props: { onStarted: (started: ImportDetail) => void }) {
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorWords>();
  let input: HTMLInputElement | undefined;

  const error = () => {
    const words = failure();
    return words ? (fieldError(words, 'file') ?? words.message) : undefined;
  };

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const file = input?.files?.[0];
    if (!file) {
      setFailure({ message: t('imports.chooseFile'), fieldErrors: [] });
      input?.focus();
      return;
    }
    setPending(true);
    setFailure(undefined);
    try {
      const started = await uploadImport(file);
      if (input) input.value = '';
      props.onStarted(started);
    } catch (caught) {
      setFailure(errorWords(caught));
      input?.focus();
    } finally {
      setPending(false);
    }
  }

  return (
    <form class="form import-upload" onSubmit={submit} aria-labelledby="import-upload-title">
      <h2 id="import-upload-title">{t('imports.uploadTitle')}</h2>
      <div class="field" classList={{ 'field--invalid': Boolean(error()) }}>
        <label for={inputId}>{t('imports.file')}</label>
        <p class="field__hint" id={`${inputId}-hint`}>
          {t('imports.fileHint')}
        </p>
        <Show when={error()}>
          {(message) => (
            <p class="field__error" id={`${inputId}-error`} role="alert">
              {message()}
            </p>
          )}
        </Show>
        <input
          id={inputId}
          ref={input}
          type="file"
          name="file"
          accept=".csv,text/csv"
          aria-required="true"
          aria-invalid={error() ? 'true' : undefined}
          aria-describedby={`${inputId}-hint${error() ? ` ${inputId}-error` : ''}`}
        />
      </div>
      <button type="submit" class="button button--primary" disabled={pending()}>
        {pending() ? t('imports.uploading') : t('imports.upload')}
      </button>
    </form>
  );
}
