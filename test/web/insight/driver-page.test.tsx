import { screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import DriverPage from '../../../web/src/committee/insight/drivers/DriverPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { alice, committee, profile, rating, statementLine } from './insight-support';

const base = `/api/drivers/${alice.id}`;

function driverApi() {
  return fakeApi({
    'GET /api/me': () => committee,
    [`GET ${base}`]: () => profile(),
    [`GET ${base}/rating`]: () => rating(),
    [`GET ${base}/statement`]: ({ url }) =>
      url.searchParams.get('cursor') === 'older'
        ? { lines: [statementLine(1, '1000.00', '1000.00', 'adjust')], nextCursor: null }
        : { lines: [statementLine(3, '-100.00', '1250.50', 'expire'), statementLine(2, '350.50', '1350.50')], nextCursor: 'older' },
  });
}

const open = () => renderPage(DriverPage, { url: `/console/drivers/${alice.id}`, path: '/console/drivers/:id' });

describe('console: one driver', () => {
  beforeEach(() => setLanguage('en'));

  it('shows who the driver is, their wallet, and links to award points', async () => {
    driverApi();
    open();
    expect(await screen.findByRole('heading', { level: 1, name: 'Alice Chen' })).toBeTruthy();
    const wallet = screen.getByRole('region', { name: 'Points' });
    const figure = (label: string) => within(wallet).getByText(label).parentElement!.textContent;
    expect(figure('Available')).toContain('1,250.5 pts');
    expect(figure('Held by open vouchers')).toContain('100 pts');
    expect(figure('Earned in all')).toContain('2,000 pts');
    expect(screen.getByRole('link', { name: 'Award or adjust points' }).getAttribute('href')).toBe(`/console/awards?driverId=${alice.id}`);
    expect(screen.getByRole('link', { name: 'Audit log entries about this driver' }).getAttribute('href')).toBe(`/console/audit?targetType=driver&targetId=${alice.id}`);
  });

  it('shows the statement with the balance after each line, and older lines on "Show more"', async () => {
    const api = driverApi();
    const user = userEvent.setup();
    open();
    const table = await screen.findByRole('table', { name: 'Statement, newest first' });
    const cells = () => within(table).getAllByRole('row').slice(1).map((r) => Array.from(r.children, (c) => c.textContent).slice(1));
    expect(cells()).toEqual([
      ['Points expired · line 3', '-100', '1,250.5'],
      ['Committee award · line 2', '+350.5', '1,350.5'],
    ]);
    const statement = within(screen.getByRole('region', { name: 'Statement' }));
    await user.click(statement.getByRole('button', { name: 'Show more' }));
    expect(await within(table).findByText('Adjustment by the committee')).toBeTruthy();
    expect(cells()).toHaveLength(3);
    expect(api.calls.filter((c) => c.path.startsWith(`${base}/statement`)).map((c) => c.path)).toEqual([
      `${base}/statement?limit=20`,
      `${base}/statement?cursor=older&limit=20`,
    ]);
  });

  it('shows the grade, its breakdown, what the next grade needs, its history, and recent activity', async () => {
    driverApi();
    open();
    const grade = await screen.findByRole('region', { name: 'Credit grade' });
    expect(await within(grade).findByText('Grade AA')).toBeTruthy();
    expect(grade.textContent).toContain('Score 74.5 of 100');
    expect(within(grade).getByRole('row', { name: /Safety 45 of 50/ }).textContent).toContain('Minor violations: 1 (−5)');
    expect(within(grade).getByRole('row', { name: /Volunteering 19.5 of 30/ }).textContent).toContain('13 approved hours, 13 counted');
    expect(grade.textContent).toContain('7 more volunteer hours and 3 more verified reports');
    const history = within(grade).getByRole('table', { name: 'Grade history' });
    expect(within(history).getAllByRole('row')[1]!.textContent).toContain('AAA 86 → AA 74.5');

    const activity = screen.getByRole('region', { name: 'Recent activity' });
    for (const text of ['Exam-day convoy', 'Broken manhole cover', 'Voided on appeal', 'Cleared the G4 at night', 'Brake service', 'Open']) {
      expect(activity.textContent).toContain(text);
    }
  });

  it('an unknown driver is said in words', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      [`GET ${base}`]: () => problem(404, 'Not found', `there is no driver ${alice.id}`),
      [`GET ${base}/rating`]: () => problem(404, 'Not found'),
      [`GET ${base}/statement`]: () => problem(404, 'Not found'),
    });
    open();
    expect((await screen.findByRole('alert')).textContent).toContain(`there is no driver ${alice.id}`);
    expect(screen.getByRole('heading', { level: 1, name: 'Driver' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /All drivers/ })).toBeTruthy();
  });
});
