import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import PartnersPage from '../../../web/src/committee/partners/PartnersPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage, reply } from '../support/render';
import { committee, garage, school } from './support';

const settlePath = `/api/partners/${garage.id}/settlements`;

function openPartners() {
  renderPage(PartnersPage, { url: '/console/partners', path: '/console/partners' });
  return screen.findByRole('article', { name: garage.name });
}

describe('console: partners', () => {
  beforeEach(() => setLanguage('en'));

  it('lists partners with kind, region and status', async () => {
    fakeApi({ 'GET /api/me': () => committee, 'GET /api/partners': () => ({ items: [garage, school] }) });
    const card = await openPartners();
    expect(card.textContent).toContain('Garage · Baoan');
    expect(card.textContent).toContain('Active');
    expect(screen.getByRole('article', { name: 'Harbour Driving School' }).textContent).toContain('Training school');
  });

  it('records a settlement for the chosen days, once, and shows what was settled', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      [`POST ${settlePath}`]: ({ body }) =>
        reply(201, {
          id: '00000000-0000-4000-8000-000000005e77',
          partnerId: garage.id,
          from: '2026-05-31T16:00:00.000Z',
          to: '2026-06-30T16:00:00.000Z',
          amount: '862.50',
          redemptions: 7,
          transferId: '00000000-0000-4000-8000-0000000007f1',
          replayed: false,
          echo: body,
        }),
    });
    const user = userEvent.setup();
    const card = await openPartners();
    await user.click(within(card).getByRole('button', { name: 'Record settlement' }));
    const from = within(card).getByLabelText('From');
    const to = within(card).getByLabelText('To (included)');
    await user.clear(from);
    await user.type(from, '2026-06-01');
    await user.clear(to);
    await user.type(to, '2026-06-30');
    await user.click(within(card).getByRole('button', { name: 'Review settlement' }));

    expect(within(card).getByText(/Settle what 顺达汽修 Shunda Garage confirmed from Jun 1, 2026 to Jun 30, 2026\?/)).toBeTruthy();
    expect(api.calls.some((c) => c.path === settlePath)).toBe(false);
    await user.click(within(card).getByRole('button', { name: 'Confirm settlement' }));

    expect(await within(card).findByText('Settled 862.5 points for 7 vouchers, Jun 1, 2026 to Jun 30, 2026.')).toBeTruthy();
    const posts = api.calls.filter((c) => c.path === settlePath);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({ from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' });
    expect(posts[0]!.headers.get('idempotency-key')).toMatch(/.{8,}/);
  });

  it('retries a settlement whose connection dropped with the same Idempotency-Key', async () => {
    let attempts = 0;
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      [`POST ${settlePath}`]: () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return reply(201, { id: '00000000-0000-4000-8000-000000005e77', partnerId: garage.id, from: '2026-04-30T16:00:00.000Z', to: '2026-05-31T16:00:00.000Z', amount: '0.00', redemptions: 0, transferId: null, replayed: false });
      },
    });
    const user = userEvent.setup();
    const card = await openPartners();
    await user.click(within(card).getByRole('button', { name: 'Record settlement' }));
    await user.click(within(card).getByRole('button', { name: 'Review settlement' }));
    await user.click(within(card).getByRole('button', { name: 'Confirm settlement' }));
    expect(await within(card).findByText(/Nothing to settle/, {}, { timeout: 3000 })).toBeTruthy();
    const keys = api.calls.filter((c) => c.path === settlePath).map((c) => c.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('says a settlement for the same days already exists, in words', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      [`POST ${settlePath}`]: () => problem(409, 'Conflict', 'this partner already has a settlement for exactly this period', 'https://milepost.dev/problems/conflict'),
    });
    const user = userEvent.setup();
    const card = await openPartners();
    await user.click(within(card).getByRole('button', { name: 'Record settlement' }));
    await user.click(within(card).getByRole('button', { name: 'Review settlement' }));
    await user.click(within(card).getByRole('button', { name: 'Confirm settlement' }));
    expect(await within(card).findByText('This partner already has a settlement for exactly these days.')).toBeTruthy();
  });

  it('adds a staff member to a partner', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      [`POST /api/partners/${garage.id}/staff`]: () => reply(201, { user: { id: '00000000-0000-4000-8000-0000000000a9', role: 'partner_staff' } }),
    });
    const user = userEvent.setup();
    const card = await openPartners();
    await user.click(within(card).getByRole('button', { name: 'Add staff' }));
    await user.type(within(card).getByLabelText('Phone number'), '137 0000 0009');
    await user.type(within(card).getByLabelText('Name'), 'Chen Jing');
    await user.type(within(card).getByLabelText('Password'), 'garage-demo-09');
    await user.click(within(card).getByRole('button', { name: 'Add staff member' }));
    expect(await within(card).findByText('Chen Jing can now sign in at the desk with 13700000009.')).toBeTruthy();
    expect(api.calls.find((c) => c.path.endsWith('/staff'))?.body).toEqual({ phone: '13700000009', name: 'Chen Jing', password: 'garage-demo-09' });
  });

  it('creates a partner and shows field errors from the API next to the inputs', async () => {
    let first = true;
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      'POST /api/partners': ({ body }) => {
        if (first) {
          first = false;
          return reply(400, { type: 'https://milepost.dev/problems/validation-failed', title: 'invalid', status: 400, errors: [{ path: 'region', message: 'a region is required' }] });
        }
        return reply(201, { ...school, ...(body as object) });
      },
    });
    const user = userEvent.setup();
    await openPartners();
    const form = screen.getByRole('region', { name: 'Add a partner' });
    await user.type(within(form).getByLabelText('Name'), 'Harbour Driving School');
    await user.selectOptions(within(form).getByLabelText('Kind'), 'training_school');
    await user.click(within(form).getByRole('button', { name: 'Add partner' }));
    expect(await within(form).findByText('a region is required', { selector: '.field__error' })).toBeTruthy();

    await user.type(within(form).getByLabelText('Region'), 'Baoan');
    await user.click(within(form).getByRole('button', { name: 'Add partner' }));
    expect(await within(form).findByText('Harbour Driving School was added, with its settlement account.')).toBeTruthy();
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/partners' && c.method === 'POST')).toHaveLength(2));
    expect(api.calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ name: 'Harbour Driving School', kind: 'training_school', region: 'Baoan' });
  });
});
