import { screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import AwardsPage from '../../../web/src/committee/partners/AwardsPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage, reply } from '../support/render';
import { committee, driver } from './support';

function award(body: { driverId: string; points: string; reason: string }) {
  return reply(201, {
    earningId: '00000000-0000-4000-8000-0000000000aa',
    transferId: '00000000-0000-4000-8000-0000000000bb',
    driverId: body.driverId,
    points: body.points,
    reason: body.reason,
    awardedBy: committee.id,
    createdAt: '2026-06-01T00:00:00.000Z',
    replayed: false,
  });
}

async function openAwards() {
  renderPage(AwardsPage, { url: '/console/awards', path: '/console/awards' });
  return screen.findByRole('region', { name: 'Instant award' });
}

describe('console: awards and adjustments', () => {
  beforeEach(() => setLanguage('en'));

  it("opened from a driver's page (?driverId=), the driver is already chosen and named", async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      [`GET /api/drivers/${driver.id}`]: () => driver,
      'POST /api/awards': ({ body }) => award(body as never),
    });
    const user = userEvent.setup();
    renderPage(AwardsPage, { url: `/console/awards?driverId=${driver.id}`, path: '/console/awards' });
    const section = await screen.findByRole('region', { name: 'Instant award' });
    expect(await within(section).findByText(/李伟 Li Wei/)).toBeTruthy();
    await user.type(within(section).getByLabelText('Points'), '50');
    await user.type(within(section).getByLabelText('Reason'), 'Helped at the flood convoy');
    await user.click(within(section).getByRole('button', { name: 'Review' }));
    expect(within(section).getByText('Award 50 points to 李伟 Li Wei · 粤B·12345 · 13900000001?')).toBeTruthy();
    await user.click(within(section).getByRole('button', { name: 'Grant award' }));
    expect(await within(section).findByText(/Awarded 50 points to 李伟 Li Wei/)).toBeTruthy();
    expect(api.calls.filter((c) => c.path === '/api/awards').map((c) => (c.body as { driverId: string }).driverId)).toEqual([driver.id]);
  });

  it('finds the driver, requires a reason, and grants the award once with an Idempotency-Key', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/drivers': () => ({ items: [driver], nextCursor: null }),
      'POST /api/awards': ({ body }) => award(body as never),
    });
    const user = userEvent.setup();
    const section = await openAwards();

    await user.type(within(section).getByLabelText('Driver'), 'Li Wei');
    await user.click(await within(section).findByRole('button', { name: /李伟 Li Wei/ }));
    expect(api.calls.find((c) => c.path.startsWith('/api/drivers'))?.path).toContain('q=Li+Wei');
    await user.type(within(section).getByLabelText('Points'), '50');
    await user.click(within(section).getByRole('button', { name: 'Review' }));

    expect(await within(section).findByText('Say why, in at least 3 characters.', { selector: '.field__error' })).toBeTruthy();
    expect(within(section).queryByRole('button', { name: 'Grant award' })).toBeNull();

    await user.type(within(section).getByLabelText('Reason'), 'Helped clear an accident on the G4');
    await user.click(within(section).getByRole('button', { name: 'Review' }));
    expect(within(section).getByText('Award 50 points to 李伟 Li Wei · 粤B·12345 · 13900000001?')).toBeTruthy();
    expect(api.calls.some((c) => c.path === '/api/awards')).toBe(false);

    await user.click(within(section).getByRole('button', { name: 'Grant award' }));

    expect(await within(section).findByText(/Awarded 50 points to 李伟 Li Wei/)).toBeTruthy();
    const posts = api.calls.filter((c) => c.path === '/api/awards');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({ driverId: driver.id, points: '50', reason: 'Helped clear an accident on the G4' });
    expect(posts[0]!.headers.get('idempotency-key')).toMatch(/.{8,}/);
  });

  it('uses a new Idempotency-Key for a new intent, and the API’s refusal is shown in words', async () => {
    let calls = 0;
    const api = fakeApi({
      'GET /api/me': () => committee,
      [`GET /api/drivers/${driver.id}`]: () => ({ ...driver }),
      'POST /api/awards': ({ body }) => {
        calls += 1;
        return calls === 1
          ? problem(422, 'The award is above the programme maximum', 'an award can be at most 500.00 points', 'https://milepost.dev/problems/award-too-large')
          : award(body as never);
      },
    });
    const user = userEvent.setup();
    const section = await openAwards();
    await user.type(within(section).getByLabelText('Driver'), driver.id);
    expect(await within(section).findByText('李伟 Li Wei · 粤B·12345 · 13900000001')).toBeTruthy();
    await user.type(within(section).getByLabelText('Points'), '900');
    await user.type(within(section).getByLabelText('Reason'), 'Rescued a stranded convoy');
    await user.click(within(section).getByRole('button', { name: 'Review' }));
    await user.click(within(section).getByRole('button', { name: 'Grant award' }));
    expect(await within(section).findByText('an award can be at most 500.00 points')).toBeTruthy();

    await user.click(within(section).getByRole('button', { name: 'Change' }));
    await user.clear(within(section).getByLabelText('Points'));
    await user.type(within(section).getByLabelText('Points'), '400');
    await user.click(within(section).getByRole('button', { name: 'Review' }));
    await user.click(within(section).getByRole('button', { name: 'Grant award' }));
    expect(await within(section).findByText(/Awarded 400 points/)).toBeTruthy();

    const keys = api.calls.filter((c) => c.path === '/api/awards').map((c) => c.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('takes points back with a negative adjustment, after saying so', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/drivers': () => ({ items: [driver], nextCursor: null }),
      'POST /api/ledger/adjustments': () => reply(201, { transferId: '00000000-0000-4000-8000-0000000000cc', replayed: false }),
    });
    const user = userEvent.setup();
    await openAwards();
    const section = screen.getByRole('region', { name: 'Adjust points' });
    await user.type(within(section).getByLabelText('Driver'), '粤B');
    await user.click(await within(section).findByRole('button', { name: /李伟 Li Wei/ }));
    await user.type(within(section).getByLabelText('Amount'), '-20');
    await user.type(within(section).getByLabelText('Reason'), 'Points credited twice by mistake');
    await user.click(within(section).getByRole('button', { name: 'Review' }));
    expect(within(section).getByText(/Take 20 points back from 李伟 Li Wei/)).toBeTruthy();
    await user.click(within(section).getByRole('button', { name: 'Make adjustment' }));
    expect(await within(section).findByText(/Adjusted 李伟 Li Wei · 粤B·12345 · 13900000001 by -20 points/)).toBeTruthy();
    const post = api.calls.find((c) => c.path === '/api/ledger/adjustments')!;
    expect(post.body).toEqual({ driverId: driver.id, amount: '-20', reason: 'Points credited twice by mistake' });
    expect(post.headers.get('idempotency-key')).toMatch(/.{8,}/);
  });

  it('says in words when driver search is not available, and a pasted id still works', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/drivers': () => problem(404, 'No such route', undefined, 'https://milepost.dev/problems/route-not-found'),
      [`GET /api/drivers/${driver.id}`]: () => problem(404, 'No such route', undefined, 'https://milepost.dev/problems/route-not-found'),
    });
    const user = userEvent.setup();
    const section = await openAwards();
    const box = within(section).getByLabelText('Driver');
    await user.type(box, 'Li');
    expect(await within(section).findByText(/Search isn't working right now/)).toBeTruthy();
    await user.clear(box);
    await user.type(box, driver.id);
    expect(await within(section).findByText(`Driver ${driver.id}`)).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Choose another driver' })).toBeTruthy();
  });
});
