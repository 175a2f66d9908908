/** Where the phone is, or why it could not say. */
export type Located =
  | { ok: true; lat: string; lng: string; accuracyMeters: number }
  | { ok: false; reason: 'unsupported' | 'insecure' | 'denied' | 'unavailable' | 'timeout' };

// GeolocationPositionError codes (the numbers are the standard's; stubs need not carry the names).
const PERMISSION_DENIED = 1;
const TIMEOUT = 3;

const options: PositionOptions = { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 };

/** One position fix. Never rejects: every failure is a reason the page can put in words. */
export function locate(): Promise<Located> {
  if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve({ ok: false, reason: 'unsupported' });
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          ok: true,
          // Six places is about 10 cm, what the server keeps.
          lat: position.coords.latitude.toFixed(6),
          lng: position.coords.longitude.toFixed(6),
          accuracyMeters: Math.round(position.coords.accuracy),
        }),
      (error) => {
        if (error.code === PERMISSION_DENIED) {
          // Browsers share location only with https pages; over plain http they say "denied".
          resolve({ ok: false, reason: window.isSecureContext === false ? 'insecure' : 'denied' });
        } else if (error.code === TIMEOUT) resolve({ ok: false, reason: 'timeout' });
        else resolve({ ok: false, reason: 'unavailable' });
      },
      options,
    );
  });
}

/**
 * "22.543096, 114.057865" pasted into one box (as maps copy it) split into latitude and
 * longitude; null when the text is not such a pair.
 */
export function splitPair(text: string): { lat: string; lng: string } | null {
  const match = /^\s*([+-]?\d{1,3}(?:\.\d+)?)\s*[,，\s]\s*([+-]?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
  return match ? { lat: match[1]!, lng: match[2]! } : null;
}
