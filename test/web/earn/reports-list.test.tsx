import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import Reports from '../../../web/src/earn/Reports';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { driver, report } from './fixtures';

const listed = (id: string, overrides: Parameters<typeof report>[0] = {}) => {
  const { history: _h, duplicateHint: _d, payment: _p, ...row } = report({ id, ...overrides });
  return row;
};

describe('my road reports', () => {
  beforeEach(() => setLanguage('en'));

  it('lists reports with their status and grows by "Show more" from the cursor', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'GET /api/grid-reports': ({ url }) =>
        url.searchParams.get('cursor') === 'page-2'
          ? { items: [listed('r3', { category: 'obstacle', status: 'closed' })], nextCursor: null }
          : { items: [listed('r1', { status: 'verified' }), listed('r2', { category: 'road_collapse', status: 'rejected' })], nextCursor: 'page-2' },
    });
    const user = userEvent.setup();
    renderPage(Reports, { url: '/earn/reports' });

    const first = await screen.findByRole('link', { name: /^Pothole, / });
    expect(first.getAttribute('href')).toBe('/earn/reports/r1');
    expect(screen.getByText('Verified')).toBeTruthy();
    expect(screen.getByText('Rejected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show more' }));

    expect(await screen.findByRole('link', { name: /^Obstacle on the road, / })).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 2 })).toHaveLength(3);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull());
    expect(api.calls.filter((c) => c.path.startsWith('/api/grid-reports')).map((c) => c.path)).toEqual([
      '/api/grid-reports',
      '/api/grid-reports?cursor=page-2',
    ]);
  });

  it('an empty list says so and offers to report one', async () => {
    fakeApi({ 'GET /api/me': () => driver, 'GET /api/grid-reports': () => ({ items: [], nextCursor: null }) });
    renderPage(Reports, { url: '/earn/reports' });
    expect(await screen.findByText('You have not reported any road problems yet.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Report a road problem' }).getAttribute('href')).toBe('/earn/reports/new');
  });

  it('a list that cannot load says why inside the page, and tries again on request', async () => {
    let fail = true;
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/grid-reports': () => (fail ? problem(500, 'Internal Server Error') : { items: [listed('r1')], nextCursor: null }),
    });
    const user = userEvent.setup();
    renderPage(Reports, { url: '/earn/reports' });

    expect(await screen.findByText(/Something went wrong on our side \(error 500\)/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'My road reports' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 2, name: 'This part could not load' })).toBeTruthy();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: /^Pothole, / })).toBeTruthy();
  });
});
