import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { qrDetector } from './barcode';
import { t } from './messages';

const lookEveryMs = 200;

function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return t('desk.scan.denied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return t('desk.scan.noCamera');
  return t('desk.scan.failed');
}

/**
 * The back camera, looking for a QR code. The camera stops as soon as one is read, on cancel,
 * and when the scanner leaves the page.
 */
export function QrScanner(props: { onRead: (text: string) => void; onCancel: () => void }) {
  let video: HTMLVideoElement | undefined;
  let cancelButton: HTMLButtonElement | undefined;
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const [problem, setProblem] = createSignal<string>();

  function stop() {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = undefined;
    if (video) video.srcObject = null;
  }

  async function start() {
    try {
      const detector = qrDetector();
      const camera = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      stream = camera;
      if (stopped || !video) return stop();
      video.srcObject = camera;
      await video.play();
      const look = async () => {
        if (stopped || !video) return;
        const [found] = await detector.detect(video).catch(() => []);
        if (found?.rawValue) {
          stop();
          props.onRead(found.rawValue);
          return;
        }
        timer = setTimeout(look, lookEveryMs);
      };
      void look();
    } catch (error) {
      stop();
      setProblem(cameraProblem(error));
    }
  }

  onMount(() => {
    cancelButton?.focus();
    void start();
  });
  onCleanup(stop);

  return (
    <div class="desk-scanner" role="group" aria-labelledby="desk-scanner-title">
      <p id="desk-scanner-title" class="desk-scanner__title">
        {t('desk.scan.instructions')}
      </p>
      <video ref={video} class="desk-scanner__video" muted playsinline aria-hidden="true" />
      <Show when={problem()}>
        {(message) => (
          <p class="field__error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <button
        ref={cancelButton}
        type="button"
        class="button button--block"
        onClick={() => {
          stop();
          props.onCancel();
        }}
      >
        {t('desk.scan.cancel')}
      </button>
    </div>
  );
}
