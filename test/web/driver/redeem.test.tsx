import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import OfferPage from '../../../web/src/driver/OfferPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, reply, renderPage } from '../support/render';
import { driver, offer, voucher } from './fixtures';

const brakes = offer();
const url = `/shop/${brakes.id}`;

function posts(api: ReturnType<typeof fakeApi>) {
  return api.calls.filter((c) => c.method === 'POST' && c.path === '/api/redemptions');
}

function offerApi(redeem: Parameters<typeof fakeApi>[0][string], extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /api/me': () => driver,
    [`GET /api/offers/${brakes.id}`]: () => brakes,
    'POST /api/redemptions': redeem,
    ...extra,
  });
}

describe('redeeming an offer', () => {
  beforeEach(() => {
    setLanguage('en');
    sessionStorage.clear();
  });

  it('shows the offer, then a confirmation of what you pay, get and where before anything is sent', async () => {
    const api = offerApi(() => reply(201, voucher()));
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Brake service' })).toBeTruthy();
    expect(document.body.textContent).toContain('Your price 162 pts');
    expect(document.body.textContent).toContain('49 of 50');
    expect(document.body.textContent).toContain('1 per month');

    await user.click(screen.getByRole('button', { name: 'Redeem' }));

    const confirm = screen.getByRole('region', { name: 'Confirm your redemption' });
    expect(confirm.textContent).toContain('You pay162 pts');
    expect(confirm.textContent).toContain('You get¥200 off brake service');
    expect(confirm.textContent).toContain('Where顺达汽修 Shunda Garage · Baoan');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Confirm your redemption' }));
    expect(posts(api)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('region', { name: 'Confirm your redemption' })).toBeNull();
    expect(posts(api)).toHaveLength(0);
  });

  it('confirming sends exactly one POST with an Idempotency-Key, then shows the voucher', async () => {
    const api = offerApi(() => reply(201, voucher()));
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });
    await user.click(await screen.findByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));

    expect(await screen.findByText(`elsewhere: /vouchers/${voucher().id}`)).toBeTruthy();
    const sent = posts(api);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ offerId: brakes.id });
    expect(sent[0]!.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{16,}$/);
  });

  it('after a dropped connection it retries with the SAME key', async () => {
    let attempts = 0;
    const api = offerApi(() => {
      attempts++;
      if (attempts === 1) throw new TypeError('Failed to fetch');
      return reply(201, voucher());
    });
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });
    await user.click(await screen.findByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));

    expect(await screen.findByText(`elsewhere: /vouchers/${voucher().id}`, {}, { timeout: 3000 })).toBeTruthy();
    const sent = posts(api);
    expect(sent).toHaveLength(2);
    const [first, second] = sent.map((c) => c.headers.get('idempotency-key'));
    expect(first).toBeTruthy();
    expect(second).toBe(first);
  });

  /**
   * A redeem sent while the connection is down, then `retry` (what the driver does next), then
   * "Confirm" once the connection is back: every POST must carry one key.
   */
  async function redeemAcrossADrop(retry: (user: ReturnType<typeof userEvent.setup>) => Promise<void>) {
    let down = true;
    const api = offerApi(() => {
      if (down) throw new TypeError('Failed to fetch');
      return reply(201, voucher());
    });
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });
    await user.click(await screen.findByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));
    expect(await screen.findByText(/Can't reach Milepost/, {}, { timeout: 8000 })).toBeTruthy();
    expect(screen.getByText('Trying again is safe: you will not pay twice.')).toBeTruthy();

    await retry(user);
    down = false;
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));
    expect(await screen.findByText(`elsewhere: /vouchers/${voucher().id}`)).toBeTruthy();
    const keys = new Set(posts(api).map((c) => c.headers.get('idempotency-key')));
    expect(posts(api).length).toBeGreaterThan(1);
    expect(keys.size).toBe(1);
  }

  it('when the connection stays down, "Confirm" again reuses the key of the open confirmation', async () => {
    await redeemAcrossADrop(async () => {});
  }, 15_000);

  it('after a send with no answer, Cancel and Redeem again still carry its key, so a voucher it issued is handed back, not paid twice', async () => {
    await redeemAcrossADrop(async (user) => {
      await user.click(screen.getByRole('button', { name: 'Cancel' }));
      await user.click(screen.getByRole('button', { name: 'Redeem' }));
    });
    // Answered: the key is dropped, and the next redeem of the offer is a new intent.
    expect(sessionStorage.getItem(`milepost:redeem-unanswered:${brakes.id}`)).toBeNull();
  }, 15_000);

  it('an insufficient-points refusal is said in words, nothing navigates, and trying again is a new intent', async () => {
    const api = offerApi(() =>
      problem(422, 'Not enough points available', 'this voucher costs 162.00 points; you have fewer available', 'https://milepost.dev/problems/insufficient-funds'),
    );
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });
    await user.click(await screen.findByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('You do not have enough points available: this voucher costs you 162 pts.');
    expect(screen.queryByText(/elsewhere:/)).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: 'Brake service' })).toBeTruthy();
    expect(posts(api)).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));
    await waitFor(() => expect(posts(api)).toHaveLength(2));
    const [first, second] = posts(api).map((c) => c.headers.get('idempotency-key'));
    expect(second).not.toBe(first);
  });

  it.each([
    ['out-of-stock', 409, 'All vouchers for this offer are taken.'],
    ['grade-too-low', 422, 'Your credit grade does not qualify'],
    ['limit-reached', 422, 'You have reached the limit for this offer (1 per month).'],
    ['offer-not-active', 422, 'This offer is not open for redemption any more.'],
  ])('says a %s refusal in words', async (code, status, words) => {
    offerApi(() => problem(status, 'Refused', 'in English', `https://milepost.dev/problems/${code}`));
    const user = userEvent.setup();
    renderPage(OfferPage, { url, path: '/shop/:id' });
    await user.click(await screen.findByRole('button', { name: 'Redeem' }));
    await user.click(screen.getByRole('button', { name: 'Confirm redemption' }));
    expect((await screen.findByRole('alert')).textContent).toContain(words);
    expect(screen.queryByText(/elsewhere:/)).toBeNull();
  });

  it('does not offer to redeem what the API says you cannot afford or do not qualify for, and says why', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/offers/${brakes.id}`]: () => ({ ...brakes, affordable: false }),
    });
    renderPage(OfferPage, { url, path: '/shop/:id' });
    expect(await screen.findByText('It costs you 162 pts, more than you have available.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Redeem' })).toBeNull();
  });

  it('an offer that left the shop is said in words with a way back', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/offers/${brakes.id}`]: () => problem(404, 'Offer not found', `no offer ${brakes.id}`, 'https://milepost.dev/problems/offer-not-found'),
    });
    renderPage(OfferPage, { url, path: '/shop/:id' });
    expect(await screen.findByRole('heading', { level: 1, name: 'This offer is not available' })).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'Back to the shop' }).length).toBeGreaterThan(0);
  });
});
