import { screen, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import DriverHome from '../../../web/src/driver/DriverHome';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { driver, notification, rating, wallet } from './fixtures';

const noExpiry = { enabled: true, months: 24, noticeDays: 30, next: null, schedule: [], total: '0.00' };
const inbox = { items: [notification()], unread: 4, nextCursor: null };

function homeApi(overrides: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /api/me': () => driver,
    'GET /api/me/wallet': () => wallet,
    'GET /api/me/rating': () => rating(),
    'GET /api/me/points-expiry': () => noExpiry,
    'GET /api/me/notifications': () => inbox,
    ...overrides,
  });
}

const renderHome = () => renderPage(() => <DriverHome user={driver} />, { url: '/' });

describe('the driver home page', () => {
  beforeEach(() => setLanguage('en'));

  it('shows the balance (available, held, earned) and marks the page ready once the figures are there', async () => {
    const mark = vi.spyOn(performance, 'mark');
    homeApi();
    renderHome();

    const balance = await screen.findByRole('region', { name: 'Your points' });
    expect(await within(balance).findByText('979.5 pts')).toBeTruthy();
    expect(balance.textContent).toContain('Held for vouchers36 pts');
    expect(balance.textContent).toContain('Earned in all1,335.5 pts');
    expect(mark.mock.calls.filter(([name]) => name === 'milepost:home-ready')).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 1, name: 'Hello, 王建国 Wang Jianguo' })).toBeTruthy();
  });

  it('shows the grade and, in plain words, what the next grade needs', async () => {
    homeApi();
    renderHome();
    const grade = await screen.findByRole('region', { name: 'Your credit grade' });
    expect(await within(grade).findByText('To reach AAA:')).toBeTruthy();
    expect(grade.textContent).toContain('Credit grade AA');
    expect(grade.textContent).toContain('2 more verified road reports (a score of 85 is needed; you have 81)');
    expect(grade.textContent).toContain('Drive without violations until Feb 11, 2027');
    expect(within(grade).getByRole('link', { name: 'How your rating is worked out' }).getAttribute('href')).toBe('/rating');
  });

  it('at the top grade says so instead', async () => {
    homeApi({ 'GET /api/me/rating': () => rating({ grade: 'AAA', score: '90.00', next: null }) });
    renderHome();
    expect(await screen.findByText('You have the top grade, AAA. Keep it up!')).toBeTruthy();
  });

  it('warns of points about to expire, and lists the latest unread messages with a link to the inbox', async () => {
    const api = homeApi({
      'GET /api/me/points-expiry': () => ({ ...noExpiry, next: { date: '2027-01-10', points: '70.00' }, total: '70.00' }),
    });
    renderHome();
    expect(await screen.findByText(/70 pts expire on Jan 10, 2027\./)).toBeTruthy();
    const messages = screen.getByRole('region', { name: 'Messages' });
    expect(await within(messages).findByText('You have 4 unread messages.')).toBeTruthy();
    expect(messages.textContent).toContain('70 pts expire on Jan 10, 2027');
    expect(within(messages).getByRole('link', { name: 'All messages' }).getAttribute('href')).toBe('/inbox');
    const inboxCall = api.calls.find((c) => c.path.startsWith('/api/me/notifications'))!;
    expect(Object.fromEntries(new URL(inboxCall.path, 'http://x').searchParams)).toEqual({ unread: 'true', limit: '3' });
  });

  it('links to the shop, vouchers, statement, rating and earning', async () => {
    homeApi();
    renderHome();
    const shortcuts = await screen.findByRole('navigation', { name: 'Shortcuts' });
    const hrefs = within(shortcuts).getAllByRole('link').map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['/shop', '/vouchers', '/statement', '/rating', '/earn', '/inbox']);
  });

  it('a part that fails says so in words and can be retried, while the rest still shows', async () => {
    let ratingUp = false;
    homeApi({ 'GET /api/me/rating': () => (ratingUp ? rating() : problem(500, 'Something went wrong on our side')) });
    renderHome();
    const grade = await screen.findByRole('region', { name: 'Your credit grade' });
    expect((await within(grade).findByRole('alert')).textContent).toContain('Something went wrong on our side (error 500)');
    expect(await screen.findByText('979.5 pts')).toBeTruthy();

    ratingUp = true;
    within(grade).getByRole('button', { name: 'Try again' }).click();
    expect(await within(grade).findByText('To reach AAA:')).toBeTruthy();
  });
});
