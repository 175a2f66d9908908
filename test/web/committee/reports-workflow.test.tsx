import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import ReportsPage from '../../../web/src/committee/queues/ReportsPage';
import type { Transition } from '../../../web/src/committee/queues/api';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { committee, detail, report } from './fixtures';

const original = report({ id: '5b0e4c1e-8f0a-4c1d-9a52-3e2f7d1c9b40', driverName: 'Wang Jun' });
const repeat = report({ driverName: 'Li Wei', likelyDuplicateOf: original.id });
const verified = report({ driverName: 'Wu Fang', category: 'road_collapse', status: 'verified', verifiedAt: '2026-06-08T03:00:00.000Z' });

const buttonNames = (card: HTMLElement) => within(card).queryAllByRole('button').map((button) => button.textContent);

describe('the grid reports queue', () => {
  beforeEach(() => setLanguage('en'));

  it('links a likely duplicate to the report it repeats', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/grid-reports': () => ({ items: [original, repeat], nextCursor: null }),
    });
    renderPage(ReportsPage, { url: '/console/reports' });
    const card = await screen.findByRole('article', { name: 'Pothole — Li Wei' });

    expect(card.textContent).toContain('Likely a duplicate of');
    const link = within(card).getByRole('link', { name: 'report 5b0e4c1e' });
    expect(link.getAttribute('href')).toBe(`/console/reports/${original.id}`);
    expect(within(screen.getByRole('article', { name: 'Pothole — Wang Jun' })).queryByText('Likely a duplicate of')).toBeNull();
  });

  it('offers only the steps valid for each status', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/grid-reports': () => ({ items: [original, verified], nextCursor: null }),
    });
    const user = userEvent.setup();
    renderPage(ReportsPage, { url: '/console/reports?status=all' });
    const submitted = await screen.findByRole('article', { name: 'Pothole — Wang Jun' });

    expect(buttonNames(submitted)).toEqual(['Verify (pays)', 'Reject…', 'Mark duplicate…']);
    expect(buttonNames(screen.getByRole('article', { name: 'Road collapse — Wu Fang' }))).toEqual(['Forward…']);

    // Keys of steps a submitted report cannot take do nothing.
    await user.keyboard('fsc');
    expect(api.calls.filter((call) => call.method === 'POST')).toEqual([]);
    expect(screen.queryByLabelText('Department it goes to')).toBeNull();
  });

  it('verifies with `v`, and forwards to a named department with `f`', async () => {
    const transitions: Transition[] = [];
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/grid-reports': () => ({ items: [original, verified], nextCursor: null }),
      [`POST /api/grid-reports/${original.id}/transition`]: ({ body }) => {
        transitions.push(body as Transition);
        return detail(original, {
          status: 'verified',
          payment: { earningId: original.id, points: '5.00', ruleVersionId: null, paidAt: '2026-06-08T03:00:00.000Z' },
        });
      },
      [`POST /api/grid-reports/${verified.id}/transition`]: ({ body }) => {
        transitions.push(body as Transition);
        return detail(verified, { status: 'forwarded', department: (body as Transition).department ?? null });
      },
    });
    const user = userEvent.setup();
    renderPage(ReportsPage, { url: '/console/reports?status=all' });
    await screen.findByRole('article', { name: 'Pothole — Wang Jun' });

    await user.keyboard('v');
    expect(await screen.findByText('Verified report 5b0e4c1e: Wang Jun paid 5 pts.')).toBeTruthy();
    expect(buttonNames(screen.getByRole('article', { name: 'Pothole — Wang Jun' }))).toEqual(['Forward…']);

    await user.keyboard('j');
    await user.keyboard('f');
    expect(document.activeElement).toBe(screen.getByLabelText('Department it goes to'));
    await user.keyboard('Futian road maintenance{Enter}');

    const forwarded = screen.getByRole('article', { name: 'Road collapse — Wu Fang' });
    await waitFor(() => expect(buttonNames(forwarded)).toEqual(['Mark resolved']));
    expect(forwarded.textContent).toContain('Futian road maintenance');
    expect(transitions).toEqual([{ to: 'verified' }, { to: 'forwarded', department: 'Futian road maintenance' }]);
    expect(api.calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual([
      `/api/grid-reports/${original.id}/transition`,
      `/api/grid-reports/${verified.id}/transition`,
    ]);
  });

  it('marks a duplicate of the flagged report, and the report leaves the verification queue', async () => {
    const transitions: Transition[] = [];
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/grid-reports': () => ({ items: [repeat, original], nextCursor: null }),
      [`POST /api/grid-reports/${repeat.id}/transition`]: ({ body }) => {
        transitions.push(body as Transition);
        return detail(repeat, { status: 'duplicate', duplicateOf: original.id });
      },
    });
    const user = userEvent.setup();
    renderPage(ReportsPage, { url: '/console/reports' });
    await screen.findByRole('article', { name: 'Pothole — Li Wei' });

    await user.keyboard('d');
    expect((screen.getByLabelText('Duplicate of report (full id)') as HTMLInputElement).value).toBe(original.id);
    await user.keyboard('{Enter}');

    await waitFor(() => expect(screen.queryByRole('article', { name: 'Pothole — Li Wei' })).toBeNull());
    expect(transitions).toEqual([{ to: 'duplicate', duplicateOf: original.id }]);
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'Pothole — Wang Jun' }));
  });
});
