import { createSignal } from 'solid-js';
import type { MessageKey } from '../i18n';
import { FieldFrame } from '../components/Field';
import { type Located, locate, splitPair } from './geolocation';
import { t } from './messages';

const failureWords: Record<Exclude<Located, { ok: true }>['reason'], MessageKey> = {
  unsupported: 'earn.location.unsupported',
  insecure: 'earn.location.insecure',
  denied: 'earn.location.denied',
  unavailable: 'earn.location.unavailable',
  timeout: 'earn.location.timeout',
};

/**
 * Where the problem is: "Use my location" fills latitude and longitude from the phone; when the
 * phone cannot or may not say, the reason is given and the driver types them (or pastes a pair
 * copied from a map into the latitude box).
 */
export function LocationFields(props: { form: string; latError?: string; lngError?: string }) {
  const [lat, setLat] = createSignal('');
  const [lng, setLng] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [status, setStatus] = createSignal<{ text: string; failed: boolean }>();
  let latInput: HTMLInputElement | undefined;
  const latId = () => `${props.form}-lat`;
  const lngId = () => `${props.form}-lng`;

  async function useMyLocation() {
    setBusy(true);
    setStatus({ text: t('earn.location.finding'), failed: false });
    const found = await locate();
    setBusy(false);
    if (found.ok) {
      setLat(found.lat);
      setLng(found.lng);
      setStatus({ text: t('earn.location.found', { meters: found.accuracyMeters }), failed: false });
    } else {
      setStatus({ text: t(failureWords[found.reason]), failed: true });
      latInput?.focus();
    }
  }

  function onLatInput(value: string) {
    const pair = splitPair(value);
    if (pair) {
      setLat(pair.lat);
      setLng(pair.lng);
    } else setLat(value);
  }

  return (
    <fieldset class="earn-location">
      <legend>{t('earn.location.legend')}</legend>
      <p class="field__hint">{t('earn.location.hint')}</p>
      <button type="button" class="button button--block" disabled={busy()} onClick={() => void useMyLocation()}>
        {t('earn.location.useMine')}
      </button>
      <p class="earn-location__status" classList={{ 'field__error': status()?.failed }} role="status">
        {status()?.text}
      </p>
      <div class="earn-location__pair">
        <FieldFrame id={latId()} label={t('earn.report.lat')} hint={t('earn.report.latHint')} error={props.latError}>
          {(control) => (
            <input
              {...control}
              ref={latInput}
              name="lat"
              type="text"
              inputMode="decimal"
              autocomplete="off"
              maxLength={40}
              value={lat()}
              onInput={(event) => onLatInput(event.currentTarget.value)}
            />
          )}
        </FieldFrame>
        <FieldFrame id={lngId()} label={t('earn.report.lng')} hint={t('earn.report.lngHint')} error={props.lngError}>
          {(control) => (
            <input
              {...control}
              name="lng"
              type="text"
              inputMode="decimal"
              autocomplete="off"
              maxLength={20}
              value={lng()}
              onInput={(event) => setLng(event.currentTarget.value)}
            />
          )}
        </FieldFrame>
      </div>
    </fieldset>
  );
}
