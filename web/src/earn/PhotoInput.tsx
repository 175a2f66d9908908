import { Show, createSignal, onCleanup } from 'solid-js';
import { FieldFrame } from '../components/Field';
import { t } from './messages';
import { photoAccept, photoRefusal } from './photo-check';

interface PhotoInputProps {
  id: string;
  name: string;
  label: string;
  hint: string;
  /** The server's word on the last photo sent. */
  error?: string;
  optional?: boolean;
  /** `environment`: open the back camera on a phone. */
  capture?: 'environment';
  /** The photo that will be sent, or null when none (or a refused one) is chosen. */
  onPhoto: (photo: File | null) => void;
}

/** Object URLs are a browser feature; where there are none (tests, old browsers) no preview. */
function previewUrl(file: File): string | null {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
}

/**
 * A photo file input that refuses the wrong file or a too-large one as soon as it is chosen (the
 * input is emptied, so it is never sent) and shows a preview of the one that will go.
 */
export function PhotoInput(props: PhotoInputProps) {
  const [refusal, setRefusal] = createSignal<string>();
  const [chosen, setChosen] = createSignal<{ name: string; url: string | null }>();

  const release = () => {
    const url = chosen()?.url;
    if (url) URL.revokeObjectURL(url);
  };
  onCleanup(release);

  function onChange(input: HTMLInputElement) {
    release();
    setChosen(undefined);
    props.onPhoto(null);
    const file = input.files?.[0];
    if (!file) {
      setRefusal(undefined);
      return;
    }
    const problem = photoRefusal(file);
    setRefusal(problem ?? undefined);
    if (problem) {
      input.value = '';
      return;
    }
    setChosen({ name: file.name, url: previewUrl(file) });
    props.onPhoto(file);
  }

  const error = () => refusal() ?? props.error;

  return (
    <FieldFrame id={props.id} label={props.label} hint={props.hint} error={error()} optional={props.optional}>
      {(control) => (
        <>
          <input
            {...control}
            class="earn-photo__input"
            type="file"
            name={props.name}
            accept={photoAccept}
            capture={props.capture}
            onChange={(event) => onChange(event.currentTarget)}
          />
          <Show when={chosen()}>
            {(photo) => (
              <figure class="earn-photo__preview">
                <Show when={photo().url}>{(url) => <img src={url()} alt={t('earn.photo.previewAlt')} />}</Show>
                <figcaption>{t('earn.photo.chosen', { name: photo().name })}</figcaption>
              </figure>
            )}
          </Show>
        </>
      )}
    </FieldFrame>
  );
}
