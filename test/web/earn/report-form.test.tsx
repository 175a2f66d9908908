import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ReportNew from '../../../web/src/earn/ReportNew';
import { setLanguage } from '../../../web/src/i18n';
import { type FakeApi, fakeApi, reply, renderPage } from '../support/render';
import { driver, report, droppedThenRefusedThen } from './fixtures';

const jpeg = () => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'pothole.jpg', { type: 'image/jpeg' });

/** navigator.geolocation as a phone would have it, answering the way the test says. */
function stubGeolocation(answer: (ok: PositionCallback, fail: PositionErrorCallback) => void) {
  const getCurrentPosition = vi.fn((ok: PositionCallback, fail?: PositionErrorCallback | null) => answer(ok, fail!));
  Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition }, configurable: true });
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  return getCurrentPosition;
}

function api(): FakeApi {
  return fakeApi({
    'GET /api/me': () => driver,
    'POST /api/grid-reports': () => reply(201, report()),
  });
}

const posts = (fake: FakeApi) => fake.calls.filter((c) => c.method === 'POST');

describe('report a road problem', () => {
  beforeEach(() => setLanguage('en'));
  afterEach(() => {
    Reflect.deleteProperty(navigator, 'geolocation');
    Reflect.deleteProperty(window, 'isSecureContext');
  });

  it('refuses a file that is not a photo, and one over 5 MB, before anything is uploaded', async () => {
    const fake = api();
    const user = userEvent.setup({ applyAccept: false });
    renderPage(ReportNew, { url: '/earn/reports/new' });
    const input = screen.getByLabelText('Photo of the problem') as HTMLInputElement;
    expect(input.accept).toBe('image/jpeg,image/png,image/webp');
    expect(input.getAttribute('capture')).toBe('environment');

    await user.upload(input, new File(['<svg/>'], 'drawing.svg', { type: 'image/svg+xml' }));
    expect(await screen.findByText(/“drawing.svg” is not a JPEG, PNG or WebP photo/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.files).toHaveLength(0);

    const big = new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'huge.jpg', { type: 'image/jpeg' });
    await user.upload(input, big);
    expect(await screen.findByText(/This photo is 5.1 MB; the limit is 5 MB/)).toBeTruthy();
    expect(input.files).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByRole('link', { name: /Photo of the problem: Take or choose a photo/ })).toBeTruthy();
    expect(posts(fake)).toHaveLength(0);
  });

  it('fills the location from the phone and sends everything as multipart', async () => {
    const fake = api();
    stubGeolocation((ok) => ok({ coords: { latitude: 22.5430961, longitude: 114.0578652, accuracy: 12 } } as GeolocationPosition));
    const user = userEvent.setup();
    renderPage(ReportNew, { url: '/earn/reports/new' });

    await user.upload(screen.getByLabelText('Photo of the problem'), jpeg());
    expect(await screen.findByText('Chosen: pothole.jpg')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(await screen.findByText(/Location filled in \(accurate to about 12 m\)/)).toBeTruthy();
    expect((screen.getByLabelText('Latitude') as HTMLInputElement).value).toBe('22.543096');
    expect((screen.getByLabelText('Longitude') as HTMLInputElement).value).toBe('114.057865');
    await user.selectOptions(screen.getByLabelText('What kind of problem'), 'Broken manhole cover');
    await user.type(screen.getByLabelText(/Note/), 'Cover missing in the slow lane');
    await user.click(screen.getByRole('button', { name: 'Send report' }));

    expect(await screen.findByText(`elsewhere: /earn/reports/${report().id}?sent=1`)).toBeTruthy();
    expect(posts(fake)).toHaveLength(1);
    const form = posts(fake)[0]!.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect((form.get('photo') as File).name).toBe('pothole.jpg');
    expect([form.get('lat'), form.get('lng'), form.get('category'), form.get('note')]).toEqual([
      '22.543096',
      '114.057865',
      'broken_manhole_cover',
      'Cover missing in the slow lane',
    ]);
  });

  it('retries a dropped upload with the same Idempotency-Key, and a new send after a refusal gets a new one', async () => {
    const fake = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/grid-reports': droppedThenRefusedThen(() => reply(201, report())),
    });
    const user = userEvent.setup();
    renderPage(ReportNew, { url: '/earn/reports/new' });
    await user.upload(screen.getByLabelText('Photo of the problem'), jpeg());
    await user.type(screen.getByLabelText('Latitude'), '22.5401');
    await user.type(screen.getByLabelText('Longitude'), '113.9345');
    await user.selectOptions(screen.getByLabelText('What kind of problem'), 'Pothole');
    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('try later')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText(`elsewhere: /earn/reports/${report().id}?sent=1`)).toBeTruthy();

    const keys = posts(fake).map((c) => c.headers.get('idempotency-key'));
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('says so when location is denied, moves to the latitude box and sends what the driver types', async () => {
    const fake = api();
    stubGeolocation((_ok, fail) => fail({ code: 1, message: 'User denied Geolocation' } as GeolocationPositionError));
    const user = userEvent.setup();
    renderPage(ReportNew, { url: '/earn/reports/new' });

    await user.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(await screen.findByText(/Location is blocked for Milepost/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Latitude')));

    await user.upload(screen.getByLabelText('Photo of the problem'), jpeg());
    // A pair copied from a map, pasted into the latitude box, fills both.
    await user.click(screen.getByLabelText('Latitude'));
    await user.paste('22.5401, 113.9345');
    expect((screen.getByLabelText('Longitude') as HTMLInputElement).value).toBe('113.9345');
    await user.selectOptions(screen.getByLabelText('What kind of problem'), 'Pothole');
    await user.click(screen.getByRole('button', { name: 'Send report' }));

    await screen.findByText(/elsewhere: \/earn\/reports\//);
    const form = posts(fake)[0]!.body as FormData;
    expect([form.get('lat'), form.get('lng'), form.get('category')]).toEqual(['22.5401', '113.9345', 'pothole']);
  });

  it('explains a timeout and an unavailable position in words', async () => {
    api();
    let code = 3;
    stubGeolocation((_ok, fail) => fail({ code, message: '' } as GeolocationPositionError));
    const user = userEvent.setup();
    renderPage(ReportNew, { url: '/earn/reports/new' });

    await user.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(await screen.findByText(/Finding your position took too long/)).toBeTruthy();
    code = 2;
    await user.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(await screen.findByText(/Your phone could not find its position just now/)).toBeTruthy();
  });

  it('keeps everything entered when the server refuses the photo, and says why next to it', async () => {
    const fake = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/grid-reports': () =>
        reply(422, {
          type: 'https://milepost.dev/problems/invalid-image',
          title: 'The image is damaged or carries other content',
          status: 422,
          detail: 'the JPEG is cut short (no end-of-image marker); send the photo as it came from the camera',
        }),
    });
    const user = userEvent.setup();
    renderPage(ReportNew, { url: '/earn/reports/new' });
    await user.upload(screen.getByLabelText('Photo of the problem'), jpeg());
    await user.type(screen.getByLabelText('Latitude'), '22.54');
    await user.type(screen.getByLabelText('Longitude'), '114.05');
    await user.selectOptions(screen.getByLabelText('What kind of problem'), 'Road collapse');
    await user.type(screen.getByLabelText(/Note/), 'Half the lane is gone');
    await user.click(screen.getByRole('button', { name: 'Send report' }));

    const photo = screen.getByLabelText('Photo of the problem');
    await waitFor(() => expect(photo.getAttribute('aria-invalid')).toBe('true'));
    const described = (photo.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('the JPEG is cut short (no end-of-image marker); send the photo as it came from the camera');
    expect((screen.getByLabelText('Latitude') as HTMLInputElement).value).toBe('22.54');
    expect((screen.getByLabelText('Longitude') as HTMLInputElement).value).toBe('114.05');
    expect((screen.getByLabelText('What kind of problem') as HTMLSelectElement).value).toBe('road_collapse');
    expect((screen.getByLabelText(/Note/) as HTMLTextAreaElement).value).toBe('Half the lane is gone');
    expect(screen.getByText('Chosen: pothole.jpg')).toBeTruthy();
    expect(posts(fake)).toHaveLength(1);
  });
});
