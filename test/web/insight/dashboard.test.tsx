import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import Dashboard from '../../../web/src/committee/insight/dashboard/Dashboard';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { committee, summary } from './insight-support';

// uPlot needs a canvas; jsdom has none. The chart module is replaced by a recorder.
const draw = vi.hoisted(() => vi.fn(() => ({ resize: () => {}, destroy: () => {} })));
vi.mock('../../../web/src/committee/insight/charts/uplot-draw', () => ({ draw }));

const summaryCalls = (api: ReturnType<typeof fakeApi>) => api.calls.filter((c) => c.path.startsWith('/api/reports/summary'));

describe('console dashboard', () => {
  beforeEach(() => {
    setLanguage('en');
    draw.mockClear();
  });

  it('shows the headline figures of the period asked for', async () => {
    const api = fakeApi({ 'GET /api/me': () => committee, 'GET /api/reports/summary': () => summary() });
    renderPage(Dashboard, { url: '/console?from=2026-05-31&to=2026-06-04', path: '/console' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeTruthy();
    const headline = await screen.findByRole('region', { name: /May 31, 2026 – Jun 3, 2026/ });
    const figure = (label: string) => within(headline).getByText(label).closest('div')!.textContent;
    expect(figure('Points issued')).toContain('1,780 pts');
    expect(figure('Points redeemed')).toContain('140 pts');
    expect(figure('Points redeemed')).toContain('2 confirmed redemptions');
    expect(figure('Points expired')).toContain('5 pts');
    expect(figure('Points held')).toContain('50 pts');
    expect(figure('Points held')).toContain('1 open vouchers');
    expect(figure('Points outstanding')).toContain('12,635.5 pts');
    expect(summaryCalls(api).map((c) => c.path)).toEqual(['/api/reports/summary?from=2026-05-31&to=2026-06-04']);
  });

  it('every chart has its figures as a table for screen readers, and the chart gets the same series', async () => {
    fakeApi({ 'GET /api/me': () => committee, 'GET /api/reports/summary': () => summary() });
    renderPage(Dashboard, { url: '/console?from=2026-05-31&to=2026-06-04', path: '/console' });

    const points = await screen.findByRole('table', { name: 'Points over time' });
    const rows = within(points).getAllByRole('row').map((r) => Array.from(r.children, (c) => c.textContent));
    expect(rows).toEqual([
      ['Day', 'Issued', 'Redeemed', 'Held at day end'],
      ['May 31, 2026', '0', '0', '0'],
      ['Jun 1, 2026', '1,800', '0', '50'],
      ['Jun 2, 2026', '-20', '100', '50'],
      ['Jun 3, 2026', '0', '40', '50'],
    ]);
    const grades = screen.getByRole('table', { name: 'Drivers by credit grade' });
    expect(within(grades).getByRole('row', { name: 'Not graded yet 2' })).toBeTruthy();
    expect(within(grades).getByRole('row', { name: 'AA 12' })).toBeTruthy();
    const category = screen.getByRole('table', { name: 'Redemptions by category' });
    expect(within(category).getByRole('row', { name: 'Training 1 40' })).toBeTruthy();
    const region = screen.getByRole('table', { name: 'Redemptions by region' });
    expect(within(region).getByRole('row', { name: 'Baoan 1 100' })).toBeTruthy();

    await waitFor(() => expect(draw).toHaveBeenCalledTimes(4));
    const line = draw.mock.calls.map((c) => (c as unknown[])[1]).find((spec) => (spec as { kind: string }).kind === 'line');
    expect(line).toEqual({
      kind: 'line',
      dayLabel: 'Day',
      days: ['2026-05-31', '2026-06-01', '2026-06-02', '2026-06-03'],
      series: [
        { label: 'Issued', values: [0, 1800, -20, 0] },
        { label: 'Redeemed', values: [0, 0, 100, 40] },
        { label: 'Held at day end', values: [0, 50, 50, 50] },
      ],
    });
  });

  it('"Show as table" swaps the chart for the table', async () => {
    fakeApi({ 'GET /api/me': () => committee, 'GET /api/reports/summary': () => summary() });
    const user = userEvent.setup();
    renderPage(Dashboard, { url: '/console?from=2026-05-31&to=2026-06-04', path: '/console' });
    const toggle = await screen.findByRole('button', { name: 'Show as table: Points over time' });
    const wrap = screen.getByRole('table', { name: 'Points over time' }).parentElement!;
    expect(wrap.classList.contains('visually-hidden')).toBe(true);
    await user.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(wrap.classList.contains('visually-hidden')).toBe(false);
  });

  it('a quick period and a chosen one ask for that period; a backwards one is refused in words', async () => {
    const api = fakeApi({ 'GET /api/me': () => committee, 'GET /api/reports/summary': () => summary() });
    const user = userEvent.setup();
    renderPage(Dashboard, { url: '/console?from=2026-05-31&to=2026-06-04', path: '/console' });
    const first = await screen.findByLabelText('First day');
    const last = screen.getByLabelText('Last day');
    expect((first as HTMLInputElement).value).toBe('2026-05-31');
    expect((last as HTMLInputElement).value).toBe('2026-06-03');

    await user.clear(first);
    await user.type(first, '2026-06-10');
    await user.click(screen.getByRole('button', { name: 'Show period' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The last day cannot be before the first day.');
    expect(last.getAttribute('aria-invalid')).toBe('true');
    expect(summaryCalls(api)).toHaveLength(1);

    await user.clear(first);
    await user.type(first, '2026-05-01');
    await user.click(screen.getByRole('button', { name: 'Show period' }));
    await waitFor(() => expect(summaryCalls(api).at(-1)?.path).toBe('/api/reports/summary?from=2026-05-01&to=2026-06-04'));
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => expect(summaryCalls(api)).toHaveLength(3));
    const query = new URL(summaryCalls(api).at(-1)!.path, 'http://x').searchParams;
    const days = (Date.parse(query.get('to')!) - Date.parse(query.get('from')!)) / 86_400_000;
    expect(days).toBe(7);
  });

  it('a failure is said in words, with a way to try again', async () => {
    let fail = true;
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/reports/summary': () => (fail ? problem(500, 'Something went wrong on our side', 'The report could not be made') : summary()),
    });
    const user = userEvent.setup();
    renderPage(Dashboard, { url: '/console?from=2026-05-31&to=2026-06-04', path: '/console' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The report could not be made');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Points over time' })).toBeTruthy();
  });
});
