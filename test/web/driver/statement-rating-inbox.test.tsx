import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import Inbox from '../../../web/src/driver/Inbox';
import Rating from '../../../web/src/driver/Rating';
import Statement from '../../../web/src/driver/Statement';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { driver, line, notification, queriesOf, rating } from './fixtures';

describe('the statement', () => {
  beforeEach(() => setLanguage('en'));

  it('shows each entry in words with its date, signed amount and the balance after; held lines are not in the balance', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/statement': ({ url }) =>
        url.searchParams.get('cursor') === 'older'
          ? { lines: [line({ transferId: 't3', code: 'expire', reason: null, amount: '-20.00', balanceAfter: '955.50' })], nextCursor: null }
          : {
              lines: [
                line({ transferId: 't1', code: 'redeem', type: 'pending', pending: true, reason: 'Brake service', amount: '-162.00', balanceAfter: null }),
                line({ transferId: 't2' }),
              ],
              nextCursor: 'older',
            },
    });
    const user = userEvent.setup();
    renderPage(Statement, { url: '/statement' });

    const entries = await screen.findAllByRole('listitem');
    expect(entries[0]!.textContent).toContain('Held for a voucher');
    expect(entries[0]!.textContent).toContain('Brake service');
    expect(entries[0]!.textContent).toContain('-162 pts');
    expect(entries[0]!.textContent).toContain('Held, not in the balance');
    expect(entries[1]!.textContent).toContain('Volunteering');
    expect(entries[1]!.textContent).toContain('+60 pts');
    expect(entries[1]!.textContent).toContain('Balance 1,015.5 pts');
    expect(entries[1]!.textContent).toContain('Nov 20, 2026');

    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByText('Points expired')).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(queriesOf(api.calls, 'GET', '/api/me/statement').map((q) => q.get('cursor'))).toEqual([null, 'older']);
  });
});

describe('the rating page', () => {
  beforeEach(() => setLanguage('en'));

  it('shows grade, score, benefits, the next-grade gap in words, the breakdown and the history', async () => {
    fakeApi({ 'GET /api/me': () => driver, 'GET /api/me/rating': () => rating() });
    renderPage(Rating, { url: '/rating' });

    expect(await screen.findByText('Score 81 out of 100')).toBeTruthy();
    expect(document.body.textContent).toContain('Credit grade AA');
    expect(document.body.textContent).toContain('5% off shop prices and ×1.1 points');
    const next = screen.getByRole('region', { name: 'The next grade' });
    expect(next.textContent).toContain('To reach AAA:');
    expect(next.textContent).toContain('2 more verified road reports');
    const breakdown = screen.getByRole('region', { name: 'How your score is made up' });
    expect(breakdown.textContent).toContain('Safe driving45 of 50');
    expect(breakdown.textContent).toContain('Minor violations: 1: −5');
    expect(breakdown.textContent).toContain('3 of your 3 verified road reports count (up to 10).');
    const history = screen.getByRole('region', { name: 'History' });
    expect(history.textContent).toContain('A → AA');
    expect(history.textContent).toContain('score 72.5 → 81');
    expect(history.textContent).toContain('after new activity');
  });

  it('shows the words in Chinese too, built from the steps rather than the API’s English', async () => {
    setLanguage('zh-CN');
    fakeApi({ 'GET /api/me': () => driver, 'GET /api/me/rating': () => rating() });
    renderPage(Rating, { url: '/rating' });
    const next = await screen.findByRole('region', { name: '下一个等级' });
    expect(next.textContent).toContain('升到 AAA 还需要：');
    expect(next.textContent).toContain('再有 2 条经核实的道路问题上报（需要 85 分，您现在 81 分）');
    expect(next.textContent).not.toContain('verified reports');
    setLanguage('en');
  });
});

describe('the inbox', () => {
  beforeEach(() => setLanguage('en'));

  it('lists messages and marks one read through the API, updating the unread count', async () => {
    const unread = notification();
    const read = notification({ id: 'aa0e8400-e29b-41d4-a716-446655440000', kind: 'rating_changed', title: 'Your credit rating is now AA', body: 'Up from A: your score is 72.50 out of 100.', data: { grade: 'AA', previousGrade: 'A', score: '72.50' }, read: true, readAt: '2026-11-01T00:00:00.000Z' });
    const api = fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/notifications': () => ({ items: [unread, read], unread: 1, nextCursor: null }),
      [`POST /api/me/notifications/${unread.id}/read`]: () => ({ ...unread, read: true, readAt: '2026-12-12T00:00:00.000Z' }),
    });
    const user = userEvent.setup();
    renderPage(Inbox, { url: '/inbox' });

    expect(await screen.findByText('You have 1 unread message.')).toBeTruthy();
    const first = screen.getAllByRole('listitem')[0]!;
    expect(first.textContent).toContain('70 pts expire on Jan 10, 2027');
    expect(within(screen.getAllByRole('listitem')[1]!).getByText('Up from A: your score is 72.5 out of 100.')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /Mark as read/ })).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Mark as read: 70 pts expire on Jan 10, 2027' }));

    await waitFor(() => expect(screen.getByText('No unread messages.')).toBeTruthy());
    expect(screen.queryByRole('button', { name: /Mark as read/ })).toBeNull();
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([`/api/me/notifications/${unread.id}/read`]);
  });
});
