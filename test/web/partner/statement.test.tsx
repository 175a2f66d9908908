import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../../../web/src/i18n';
import StatementPage from '../../../web/src/partner/StatementPage';
import TodayPage from '../../../web/src/partner/TodayPage';
import { confirmVoucher } from '../../../web/src/partner/api';
import { fakeApi, renderPage } from '../support/render';
import { honour, staff, validCode } from './desk-support';

function statement(from: string, to: string) {
  return {
    partnerId: staff.partnerId,
    from,
    to,
    total: '162.50',
    count: 2,
    lines: [
      { redemptionId: '00000000-0000-4000-8000-0000000000d1', confirmedAt: '2026-06-03T02:00:00.000Z', code: 'K7MQ2-XW9PR', offerTitle: 'Brake service', driverName: 'Wang Jianguo', plateNumber: '粤B·D1234', points: '100.00', settled: true },
      { redemptionId: '00000000-0000-4000-8000-0000000000d2', confirmedAt: '2026-06-04T03:00:00.000Z', code: 'ABCDE-FGHJK', offerTitle: 'Oil change', driverName: 'Li Wei', plateNumber: null, points: '62.50', settled: false },
    ],
  };
}

const createObjectURL = vi.fn((_: Blob) => 'blob:statement');
const revokeObjectURL = vi.fn();

describe('the desk: statement', () => {
  beforeEach(() => {
    setLanguage('en');
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  });
  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(URL, 'createObjectURL');
    Reflect.deleteProperty(URL, 'revokeObjectURL');
  });

  it('shows the period in the address, with its lines and total', async () => {
    const api = fakeApi({
      'GET /api/me': () => staff,
      'GET /api/partner/statement': ({ url }) => statement(url.searchParams.get('from')!, url.searchParams.get('to')!),
    });
    renderPage(StatementPage, { url: '/desk/statement?from=2026-06-01&to=2026-06-30', path: '/desk/statement' });

    const table = await screen.findByRole('table');
    expect(table.textContent).toContain('Brake service');
    expect(table.textContent).toContain('Oil change');
    expect(table.textContent).toContain('162.5');
    expect(screen.getByText('2 confirmed, 162.5 points in total')).toBeTruthy();
    expect(api.calls.find((c) => c.path.startsWith('/api/partner/statement'))?.path).toBe(
      '/api/partner/statement?from=2026-06-01T00%3A00%3A00%2B08%3A00&to=2026-07-01T00%3A00%3A00%2B08%3A00',
    );
  });

  it('downloads the CSV for the period and saves it under a sensible name', async () => {
    const api = fakeApi({
      'GET /api/me': () => staff,
      'GET /api/partner/statement': ({ url }) =>
        url.searchParams.get('format') === 'csv' ? 'confirmed_at,voucher,offer' : statement(url.searchParams.get('from')!, url.searchParams.get('to')!),
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(`${this.download} ${this.href}`);
    });
    const user = userEvent.setup();
    renderPage(StatementPage, { url: '/desk/statement?from=2026-06-01&to=2026-06-30', path: '/desk/statement' });
    await screen.findByRole('table');

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));

    await waitFor(() => expect(saved).toEqual(['milepost-statement-2026-06-01-to-2026-06-30.csv blob:statement']));
    const csvCall = api.calls.find((c) => c.path.includes('format=csv'));
    expect(csvCall && new URL(csvCall.path, 'http://x').searchParams.toString()).toBe(
      new URLSearchParams({ from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00', format: 'csv' }).toString(),
    );
    expect(await createObjectURL.mock.calls[0]![0].text()).toContain('confirmed_at,voucher,offer');
  });

  it('refuses a period that ends before it starts, without asking the API', async () => {
    const api = fakeApi({
      'GET /api/me': () => staff,
      'GET /api/partner/statement': ({ url }) => statement(url.searchParams.get('from')!, url.searchParams.get('to')!),
    });
    const user = userEvent.setup();
    renderPage(StatementPage, { url: '/desk/statement?from=2026-06-01&to=2026-06-30', path: '/desk/statement' });
    await screen.findByRole('table');
    const before = api.calls.length;
    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), '2026-07-15');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(await screen.findByText('The end date must be on or after the start date.')).toBeTruthy();
    expect(api.calls.length).toBe(before);
  });

  it("a voucher confirmed at the desk is on Today's page when the clerk goes back to it", async () => {
    let confirmed = false;
    const api = fakeApi({
      'GET /api/me': () => staff,
      'GET /api/partner/statement': ({ url }) => ({ ...statement(url.searchParams.get('from')!, url.searchParams.get('to')!), ...(confirmed ? {} : { count: 0, lines: [], total: '0.00' }) }),
      'POST /api/partner/redemptions/confirm': () => {
        confirmed = true;
        return honour(validCode(), { status: 'confirmed', captured: '100.00' });
      },
    });
    const today = renderPage(TodayPage, { url: '/desk/today', path: '/desk/today' });
    await waitFor(() => expect(api.calls.filter((c) => c.path.startsWith('/api/partner/statement'))).toHaveLength(1));
    expect(screen.queryByText('Oil change')).toBeNull();
    today.unmount();

    await confirmVoucher(validCode());
    renderPage(TodayPage, { url: '/desk/today', path: '/desk/today' });
    expect(await screen.findByText('Oil change')).toBeTruthy();
  });

  it("today's page asks for today in China Standard Time, even when it is still yesterday in UTC", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-03T17:30:00Z'));
    const api = fakeApi({
      'GET /api/me': () => staff,
      'GET /api/partner/statement': ({ url }) => statement(url.searchParams.get('from')!, url.searchParams.get('to')!),
    });
    renderPage(TodayPage, { url: '/desk/today', path: '/desk/today' });
    expect(await screen.findByText('Oil change')).toBeTruthy();
    const call = api.calls.find((c) => c.path.startsWith('/api/partner/statement'))!;
    const query = new URL(call.path, 'http://x').searchParams;
    expect([query.get('from'), query.get('to')]).toEqual(['2026-06-04T00:00:00+08:00', '2026-06-05T00:00:00+08:00']);
  });
});
