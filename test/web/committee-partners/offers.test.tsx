import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import OffersPage from '../../../web/src/committee/partners/OffersPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage, reply } from '../support/render';
import { committee, garage, offer } from './support';

describe('console: offers', () => {
  beforeEach(() => setLanguage('en'));

  it('shows the approval queue first and approves a pending offer through the approve endpoint', async () => {
    let status = 'pending_approval';
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      'GET /api/offers': ({ url }) => ({ items: url.searchParams.get('status') === status ? [offer({ status })] : [], nextCursor: null }),
      [`POST /api/offers/${offer().id}/approve`]: () => {
        status = 'active';
        return offer({ status });
      },
    });
    const user = userEvent.setup();
    renderPage(OffersPage, { url: '/console/offers', path: '/console/offers' });

    const card = await screen.findByRole('article', { name: 'Brake service' });
    expect(card.textContent).toContain('Pending approval');
    expect(api.calls.find((c) => c.path.startsWith('/api/offers'))?.path).toContain('status=pending_approval');

    await user.click(within(card).getByRole('button', { name: 'Approve' }));

    expect(await screen.findByText('Approved “Brake service”: it is in the shop now.')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([`/api/offers/${offer().id}/approve`]);
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Brake service' })).toBeNull());
    expect(screen.getByText('No offers are Pending approval.')).toBeTruthy();
  });

  it('approving the last offer of a page after "Show more" refreshes the list, with no cursor the API has forgotten', async () => {
    const a = offer({ id: '00000000-0000-4000-8000-0000000000a1', title: 'Oil change' });
    const b = offer({ id: '00000000-0000-4000-8000-0000000000a2', title: 'Tyre check' });
    const pending = new Set([a.id, b.id]);
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      'GET /api/offers': ({ url }) => {
        const after = url.searchParams.get('cursor');
        // As the API does: a cursor naming an offer no longer in the list is a 400.
        if (after && !pending.has(after)) return reply(400, { type: 'https://milepost.dev/problems/validation-failed', title: 'The request is not valid', status: 400 });
        const list = [a, b].filter((o) => pending.has(o.id));
        const start = after ? list.findIndex((o) => o.id === after) + 1 : 0;
        return { items: list.slice(start, start + 1), nextCursor: start + 1 < list.length ? list[start]!.id : null };
      },
      [`POST /api/offers/${a.id}/approve`]: () => {
        pending.delete(a.id);
        return { ...a, status: 'active' };
      },
    });
    const user = userEvent.setup();
    renderPage(OffersPage, { url: '/console/offers', path: '/console/offers' });
    await screen.findByRole('article', { name: 'Oil change' });
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    await screen.findByRole('article', { name: 'Tyre check' });

    await user.click(within(screen.getByRole('article', { name: 'Oil change' })).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved “Oil change”: it is in the shop now.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Oil change' })).toBeNull());
    expect(await screen.findByRole('article', { name: 'Tyre check' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.calls.filter((c) => c.path.includes(`cursor=${a.id}`)).length).toBe(1);
  });

  it('pauses an active offer, and retires one only after asking', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      'GET /api/offers': () => ({ items: [offer({ status: 'active' })], nextCursor: null }),
      [`PATCH /api/offers/${offer().id}`]: ({ body }) => offer(body as Record<string, unknown>),
    });
    const user = userEvent.setup();
    renderPage(OffersPage, { url: '/console/offers?status=active', path: '/console/offers' });
    const card = await screen.findByRole('article', { name: 'Brake service' });

    await user.click(within(card).getByRole('button', { name: 'Pause' }));
    expect(await screen.findByText(/Paused “Brake service”/)).toBeTruthy();

    await user.click(within(screen.getByRole('article', { name: 'Brake service' })).getByRole('button', { name: 'Retire' }));
    expect(api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Retire offer' }));
    expect(await screen.findByText('Retired “Brake service”.')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ status: 'paused' }, { status: 'retired' }]);
  });

  it('creates an offer for a partner, valid through the whole last day', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/partners': () => ({ items: [garage] }),
      'GET /api/offers': () => ({ items: [], nextCursor: null }),
      'POST /api/offers': ({ body }) => reply(201, offer({ ...(body as object), title: 'Oil change' })),
    });
    const user = userEvent.setup();
    renderPage(OffersPage, { url: '/console/offers', path: '/console/offers' });
    const form = await screen.findByRole('region', { name: 'Add an offer' });
    await user.selectOptions(await within(form).findByLabelText('Category'), 'repair');
    await user.type(within(form).getByLabelText('Title'), 'Oil change');
    await user.type(within(form).getByLabelText('What the driver gets'), '¥80 off an oil change');
    await user.type(within(form).getByLabelText('Price'), '60');
    await user.type(within(form).getByLabelText('Stock'), 'lots');
    await user.click(within(form).getByRole('button', { name: 'Add offer' }));
    expect(await within(form).findByText('Write a whole number, like 50.', { selector: '.field__error' })).toBeTruthy();
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);

    await user.clear(within(form).getByLabelText('Stock'));
    await user.type(within(form).getByLabelText('Stock'), '40');
    await user.type(within(form).getByLabelText('Valid to (included)'), '2026-12-31');
    await user.click(within(form).getByRole('button', { name: 'Add offer' }));

    expect(await screen.findByText('Added “Oil change”. It is waiting for approval.')).toBeTruthy();
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({
      partnerId: garage.id,
      category: 'repair',
      title: 'Oil change',
      faceValue: '¥80 off an oil change',
      price: '60',
      stock: 40,
      perDriverLimit: 1,
      limitPeriod: 'month',
      validFrom: null,
      validTo: '2027-01-01T00:00:00+08:00',
      minGrade: null,
      submit: true,
    });
  });
});
