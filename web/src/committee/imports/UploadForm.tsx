import { Show } from 'solid-js';
import { t } from '../messages';
import { createInputSubmission } from '../queues/input-submission';
import { uploadImport, type ImportDetail } from './api';

const inputId = 'import-file';

/** Choose the attendance CSV and send it. */
export function UploadForm(props: { onStarted: (started: ImportDetail) => void }) {
  let input: HTMLInputElement | undefined;
  const submission = createInputSubmission({ path: () => 'file', focus: () => input?.focus() });
  const error = submission.error;

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const file = input?.files?.[0];
    if (!file) return submission.refuse(t('imports.chooseFile'));
    void submission.send(async () => {
      const started = await uploadImport(file);
      if (input) input.value = '';
      props.onStarted(started);
    });
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
      <button type="submit" class="button button--primary" disabled={submission.pending()}>
        {submission.pending() ? t('imports.uploading') : t('imports.upload')}
      </button>
    </form>
  );
}
