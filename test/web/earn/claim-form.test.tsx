import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import ClaimNew from '../../../web/src/earn/ClaimNew';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, reply, renderPage } from '../support/render';
import { claim, deferred, driver, droppedThenRefusedThen } from './fixtures';

async function fillClaim(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Event'), 'Exam day convoy');
  await user.type(screen.getByLabelText('Date'), '2026-05-16');
  await user.type(screen.getByLabelText('Hours'), '2,5');
  await user.type(screen.getByLabelText(/Organiser/), 'Baoan Transport Association');
}

describe('claim volunteering hours', () => {
  beforeEach(() => setLanguage('en'));

  it('sends the claim as JSON and goes to my claims with a notice', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': () => reply(201, claim()),
    });
    const user = userEvent.setup();
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));

    expect(await screen.findByText(`elsewhere: /earn/volunteering?sent=${claim().id}`)).toBeTruthy();
    const posts = api.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.headers.get('content-type')).toBe('application/json');
    expect(posts[0]!.body).toEqual({
      event: 'Exam day convoy',
      date: '2026-05-16',
      hours: '2.5',
      organiser: 'Baoan Transport Association',
    });
  });

  it('retries a dropped connection with the same Idempotency-Key, and a new send after a refusal gets a new one', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': droppedThenRefusedThen(() => reply(201, claim())),
    });
    const user = userEvent.setup();
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));
    expect(await screen.findByText('try later')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send claim' }));
    expect(await screen.findByText(`elsewhere: /earn/volunteering?sent=${claim().id}`)).toBeTruthy();

    const keys = api.calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('idempotency-key'));
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('a server failure (500) keeps the Idempotency-Key, since the claim may have been stored; a changed claim sent on it is explained in words', async () => {
    let calls = 0;
    const api = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': () => {
        calls++;
        if (calls === 1) return reply(500, { type: 'https://milepost.dev/problems/internal', title: 'Something went wrong on our side', status: 500 });
        return reply(409, { type: 'https://milepost.dev/problems/idempotency-conflict', title: 'Idempotency key reused with a different request', status: 409, detail: 'this Idempotency-Key was used for a different claim' });
      },
    });
    const user = userEvent.setup();
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));
    expect(await screen.findByText(/Something went wrong/)).toBeTruthy();
    await user.type(screen.getByLabelText('Event'), ' (morning)');
    await user.click(screen.getByRole('button', { name: 'Send claim' }));
    expect(await screen.findByText(/This is not what you sent a moment ago/)).toBeTruthy();
    expect(screen.queryByText(/Idempotency-Key/)).toBeNull();

    const keys = api.calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('shows the API’s field errors next to their fields, keeping what was typed', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': () =>
        reply(400, {
          type: 'https://milepost.dev/problems/validation-failed',
          title: 'The request is not valid',
          status: 400,
          detail: 'hours: hours cannot be more than 24 in one day',
          errors: [{ path: 'hours', message: 'hours cannot be more than 24 in one day' }],
        }),
    });
    const user = userEvent.setup();
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));

    const hours = screen.getByLabelText('Hours');
    await waitFor(() => expect(hours.getAttribute('aria-invalid')).toBe('true'));
    const described = (hours.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('hours cannot be more than 24 in one day');
    expect(screen.getByLabelText('Event').getAttribute('aria-invalid')).toBeNull();
    expect((hours as HTMLInputElement).value).toBe('2,5');
    expect((screen.getByLabelText('Event') as HTMLInputElement).value).toBe('Exam day convoy');
    expect(screen.getByRole('link', { name: /Hours: hours cannot be more than 24/ })).toBeTruthy();
  });

  it('sends once however often the button is pressed while the first is on its way', async () => {
    const answer = deferred<unknown>();
    const api = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': () => answer.promise,
    });
    const user = userEvent.setup();
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));
    const button = await screen.findByRole('button', { name: 'Sending claim…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await user.click(button);
    await user.type(screen.getByLabelText('Hours'), '{Enter}');

    answer.resolve(reply(201, claim()));
    await screen.findByText(/elsewhere: \/earn\/volunteering/);
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('sends a photo as multipart with the same fields, and refuses a file that is not a photo before sending', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'POST /api/volunteering': () => reply(201, claim()),
    });
    const user = userEvent.setup({ applyAccept: false });
    renderPage(ClaimNew, { url: '/earn/volunteering/new' });
    await fillClaim(user);
    const photoInput = screen.getByLabelText(/Photo evidence/) as HTMLInputElement;

    await user.upload(photoInput, new File(['%PDF-1.7'], 'sheet.pdf', { type: 'application/pdf' }));
    expect(await screen.findByText(/“sheet.pdf” is not a JPEG, PNG or WebP photo/)).toBeTruthy();
    expect(photoInput.files).toHaveLength(0);

    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'sheet.jpg', { type: 'image/jpeg' });
    await user.upload(photoInput, photo);
    await user.click(screen.getByRole('button', { name: 'Send claim' }));

    await screen.findByText(/elsewhere: \/earn\/volunteering/);
    const post = api.calls.find((c) => c.method === 'POST')!;
    expect(post.body).toBeInstanceOf(FormData);
    const form = post.body as FormData;
    expect([form.get('event'), form.get('date'), form.get('hours'), form.get('organiser')]).toEqual([
      'Exam day convoy',
      '2026-05-16',
      '2.5',
      'Baoan Transport Association',
    ]);
    expect((form.get('photo') as File).name).toBe('sheet.jpg');
  });
});
