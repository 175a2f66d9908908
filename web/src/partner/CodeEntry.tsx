import { Show, createSignal, onMount } from 'solid-js';
import { parseVoucherCode } from '../../../api/market/voucher-code';
import { type Honour, lookupVoucher } from './api';
import { canScanQr } from './barcode';
import { t } from './messages';
import { QrScanner } from './QrScanner';
import { codeCheckWords, voucherProblemWords } from './voucher-words';

const inputId = 'desk-code';
const hintId = 'desk-code-hint';
const errorId = 'desk-code-error';

/**
 * The code box at the counter. A code whose check character does not add up is a typo, caught
 * here before anything is sent; a good one is looked up and handed on with what to honour.
 */
export function CodeEntry(props: { initialCode: string; onFound: (voucher: Honour) => void; onStart: () => void }) {
  let input: HTMLInputElement | undefined;
  // Starts from a code brought back from its details; from then on the box is the clerk's.
  const [typed, setTyped] = createSignal(props.initialCode);
  const [problem, setProblem] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  const [scanning, setScanning] = createSignal(false);
  const [scannable, setScannable] = createSignal(false);

  onMount(() => {
    input?.focus();
    void canScanQr().then(setScannable);
  });

  async function check(text: string) {
    if (pending()) return;
    props.onStart();
    const parsed = parseVoucherCode(text);
    if (!parsed.ok) {
      setProblem(codeCheckWords(parsed, text));
      input?.focus();
      return;
    }
    setProblem(undefined);
    setPending(true);
    try {
      props.onFound(await lookupVoucher(parsed.code));
    } catch (error) {
      setProblem(voucherProblemWords(error));
      input?.focus();
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      class="form desk-entry"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void check(typed());
      }}
    >
      <div class="field" classList={{ 'field--invalid': Boolean(problem()) }}>
        <label for={inputId}>{t('desk.code.label')}</label>
        <p class="field__hint" id={hintId}>
          {t('desk.code.hint')}
        </p>
        <Show when={problem()}>
          {(message) => (
            <p class="field__error" id={errorId} role="alert">
              {message()}
            </p>
          )}
        </Show>
        <input
          ref={input}
          id={inputId}
          name="code"
          class="desk-entry__code"
          type="text"
          value={typed()}
          onInput={(event) => setTyped(event.currentTarget.value)}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={40}
          aria-invalid={problem() ? 'true' : undefined}
          aria-describedby={problem() ? `${hintId} ${errorId}` : hintId}
        />
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={pending()}>
          {pending() ? t('desk.code.checking') : t('desk.code.submit')}
        </button>
        <Show when={scannable() && !scanning()}>
          <button type="button" class="button" onClick={() => setScanning(true)}>
            {t('desk.scan.open')}
          </button>
        </Show>
      </div>
      <Show when={scanning()}>
        <QrScanner
          onRead={(text) => {
            setScanning(false);
            setTyped(text);
            void check(text);
          }}
          onCancel={() => {
            setScanning(false);
            input?.focus();
          }}
        />
      </Show>
    </form>
  );
}
