import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../../../web/src/i18n';
import ConfirmPage from '../../../web/src/partner/ConfirmPage';
import { fakeApi, renderPage } from '../support/render';
import { honour, staff, validCode } from './desk-support';

/** A browser with a camera and the Barcode Detection API that sees `seen` in the picture. */
function cameraThatSees(seen: string) {
  const track = { stop: vi.fn() };
  const getUserMedia = vi.fn(async () => ({ getTracks: () => [track] }));
  Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.stubGlobal(
    'BarcodeDetector',
    class {
      static getSupportedFormats = async () => ['qr_code', 'ean_13'];
      constructor(readonly options: { formats: string[] }) {}
      detect = async () => [{ rawValue: seen }];
    },
  );
  return { track, getUserMedia };
}

describe('the desk: scan a QR code', () => {
  beforeEach(() => setLanguage('en'));
  afterEach(() => {
    Reflect.deleteProperty(navigator, 'mediaDevices');
  });

  it('reads the code with the camera, stops the camera, and looks the voucher up', async () => {
    const code = validCode();
    const camera = cameraThatSees(code.replace('-', ''));
    const api = fakeApi({ 'GET /api/me': () => staff, 'GET /api/partner/redemptions/lookup': () => honour(code) });
    const user = userEvent.setup();
    renderPage(ConfirmPage, { url: '/desk', path: '/desk' });

    await user.click(await screen.findByRole('button', { name: 'Scan QR' }));

    expect(await screen.findByRole('region', { name: 'Honour this voucher' })).toBeTruthy();
    expect(camera.getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false });
    expect(camera.track.stop).toHaveBeenCalled();
    expect(api.calls.map((c) => c.path)).toContain(`/api/partner/redemptions/lookup?code=${code.replace('-', '')}`);
  });

  it('stops the camera when the clerk cancels', async () => {
    const camera = cameraThatSees('');
    fakeApi({ 'GET /api/me': () => staff });
    const user = userEvent.setup();
    renderPage(ConfirmPage, { url: '/desk', path: '/desk' });
    await user.click(await screen.findByRole('button', { name: 'Scan QR' }));
    await waitFor(() => expect(camera.getUserMedia).toHaveBeenCalled());
    await user.click(screen.getByRole('button', { name: 'Stop scanning' }));
    await waitFor(() => expect(camera.track.stop).toHaveBeenCalled());
    expect(screen.getByRole('button', { name: 'Scan QR' })).toBeTruthy();
  });
});
