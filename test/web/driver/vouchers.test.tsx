import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import VoucherPage from '../../../web/src/driver/VoucherPage';
import Vouchers from '../../../web/src/driver/Vouchers';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { driver, voucher } from './fixtures';

const held = voucher();
const used = voucher({
  id: '3edbac5b-882a-40ab-8e35-4fbbd4f87133',
  offerTitle: 'Emissions test',
  code: 'Y64T2-ZJ7T5',
  status: 'confirmed',
  captured: '36.00',
  price: '36.00',
  resolvedAt: '2026-11-23T04:00:00.000Z',
});

function cancels(api: ReturnType<typeof fakeApi>) {
  return api.calls.filter((c) => c.method === 'POST' && c.path === `/api/redemptions/${held.id}/cancel`);
}

describe('the voucher page', () => {
  beforeEach(() => setLanguage('en'));

  it('shows the QR code, the code in groups (spelled out for screen readers), what it is for, where, and the expiry', async () => {
    fakeApi({ 'GET /api/me': () => driver, [`GET /api/me/redemptions/${held.id}`]: () => held });
    renderPage(VoucherPage, { url: `/vouchers/${held.id}`, path: '/vouchers/:id' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Brake service' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'QR code for voucher K7MQ2-XW9PR' }).getAttribute('src')).toBe(held.qr);
    const code = screen.getByRole('heading', { name: 'Voucher code' }).nextElementSibling!;
    expect(code.textContent).toContain('K7MQ2');
    expect(code.textContent).toContain('XW9PR');
    expect(screen.getByText('K 7 M Q 2, X W 9 P R')).toBeTruthy();
    expect(screen.getByText('Ready to use')).toBeTruthy();
    const facts = document.querySelector('dl')!.textContent!;
    expect(facts).toContain('¥200 off brake service');
    expect(facts).toContain('12 Harbour Road');
    expect(facts).toMatch(/Use by.*2099/);
    expect(facts).toContain('Dec');
  });

  it('a used voucher says so and shows no QR code to scan', async () => {
    fakeApi({ 'GET /api/me': () => driver, [`GET /api/me/redemptions/${used.id}`]: () => used });
    renderPage(VoucherPage, { url: `/vouchers/${used.id}`, path: '/vouchers/:id' });
    expect(await screen.findByText('Used')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('button', { name: /Cancel voucher/ })).toBeNull();
    expect(document.querySelector('dl')!.textContent).toContain('Used on');
  });

  it('a voucher past its expiry is shown as expired even before the nightly run marks it', async () => {
    const late = voucher({ expiresAt: '2020-01-01T00:00:00.000Z' });
    fakeApi({ 'GET /api/me': () => driver, [`GET /api/me/redemptions/${late.id}`]: () => late });
    renderPage(VoucherPage, { url: `/vouchers/${late.id}`, path: '/vouchers/:id' });
    expect(await screen.findByText('Expired', { selector: 'p' })).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('someone else’s or a missing voucher is said in words', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/me/redemptions/${held.id}`]: () =>
        problem(404, 'Redemption not found', 'you have no such redemption', 'https://milepost.dev/problems/redemption-not-found'),
    });
    renderPage(VoucherPage, { url: `/vouchers/${held.id}`, path: '/vouchers/:id' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Voucher not found' })).toBeTruthy();
  });
});

describe('my vouchers', () => {
  beforeEach(() => setLanguage('en'));

  it('lists ready vouchers apart from past ones, each with its status', async () => {
    fakeApi({ 'GET /api/me': () => driver, 'GET /api/me/redemptions': () => ({ items: [used, held] }) });
    renderPage(Vouchers, { url: '/vouchers' });

    const ready = await screen.findByRole('region', { name: 'Ready to use' });
    expect(ready.textContent).toContain('Brake service');
    expect(ready.textContent).toContain('K7MQ2-XW9PR');
    const past = screen.getByRole('region', { name: 'Used, cancelled and expired' });
    expect(past.textContent).toContain('Emissions test');
    expect(past.textContent).toContain('Used');
  });

  it('cancel asks first, and only "Yes" calls the API; the points coming back are announced', async () => {
    let cancelled = false;
    const api = fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/redemptions': () => ({ items: [cancelled ? { ...held, status: 'cancelled' } : held] }),
      [`POST /api/redemptions/${held.id}/cancel`]: () => {
        cancelled = true;
        return { id: held.id, status: 'cancelled' };
      },
    });
    const user = userEvent.setup();
    renderPage(Vouchers, { url: '/vouchers' });

    await user.click(await screen.findByRole('button', { name: 'Cancel voucher: Brake service' }));
    expect(screen.getByText('Cancel the voucher for “Brake service”? The 162 pts held for it go back to your balance.')).toBeTruthy();
    expect(cancels(api)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(cancels(api)).toHaveLength(0);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel voucher: Brake service' }));

    await user.click(screen.getByRole('button', { name: 'Cancel voucher: Brake service' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));

    const news = await screen.findByText('Voucher cancelled: 162 pts are back in your balance.');
    expect(news.getAttribute('role')).toBe('status');
    await waitFor(() => expect(document.activeElement).toBe(news));
    expect(cancels(api)).toHaveLength(1);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Used, cancelled and expired' }).textContent).toContain('Cancelled'));
  });

  it('a voucher used meanwhile cannot be cancelled: said in words, and the list shows it used', async () => {
    let usedMeanwhile = false;
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/redemptions': () => ({ items: [usedMeanwhile ? { ...held, status: 'confirmed' } : held] }),
      [`POST /api/redemptions/${held.id}/cancel`]: () => {
        usedMeanwhile = true;
        return problem(409, 'The redemption is no longer open', 'this redemption is already confirmed', 'https://milepost.dev/problems/redemption-not-open');
      },
    });
    const user = userEvent.setup();
    renderPage(Vouchers, { url: '/vouchers' });
    await user.click(await screen.findByRole('button', { name: 'Cancel voucher: Brake service' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'This voucher can no longer be cancelled: it has been used, cancelled or has expired.',
    );
    await waitFor(() => expect(screen.getByRole('region', { name: 'Used, cancelled and expired' }).textContent).toContain('Used'));
  });

  it('with no vouchers, points to the shop', async () => {
    fakeApi({ 'GET /api/me': () => driver, 'GET /api/me/redemptions': () => ({ items: [] }) });
    renderPage(Vouchers, { url: '/vouchers' });
    expect(await screen.findByText('You have no vouchers yet.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the shop' }).getAttribute('href')).toBe('/shop');
  });
});
