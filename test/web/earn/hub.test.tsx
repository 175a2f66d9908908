import { screen, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import EarnHub from '../../../web/src/earn/EarnHub';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { driver } from './fixtures';

const safety = {
  streak: { startedAt: '2026-04-02T00:00:00.000Z', days: 48 },
  next: { rule: 'safety_streak', at: '2026-06-01T00:00:00.000Z', inDays: 12, streakDays: 60, points: '20.00' },
  challenge: { days: 100, completedAt: null },
  recentEvents: [
    {
      id: 's0000000-0000-4000-8000-000000000001',
      externalId: 'tp-1',
      driverId: driver.id,
      kind: 'violation',
      severity: 'minor',
      occurredAt: '2026-04-02T00:00:00.000Z',
      note: 'Speeding on G4',
      voidedAt: null,
      createdAt: '2026-04-02T00:00:00.000Z',
    },
    {
      id: 's0000000-0000-4000-8000-000000000002',
      externalId: 'insp-1',
      driverId: driver.id,
      kind: 'inspection_passed',
      severity: null,
      occurredAt: '2026-03-01T00:00:00.000Z',
      note: null,
      voidedAt: null,
      createdAt: '2026-03-01T00:00:00.000Z',
    },
  ],
};

const rates = {
  items: [
    { activity: 'volunteering', name: 'Volunteering hours', terms: { points: '10', unit: 'hour', caps: { month: '40' } } },
    { activity: 'grid_report', name: 'Grid reports', terms: { points: '5', unit: 'report', pointsByCategory: { road_collapse: '10' }, caps: { month: '30' } } },
    { activity: 'safety_streak', name: 'Safety streak', terms: { points: '20', unit: 'milestone', everyDays: 30 } },
  ],
};

describe('the earn hub', () => {
  beforeEach(() => setLanguage('en'));

  it('shows the streak, the next milestone, what pays, and where to go', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/safety': () => safety,
      'GET /api/me/earning-rates': () => rates,
      'GET /api/appeals': () => ({ items: [], nextCursor: null }),
    });
    renderPage(EarnHub, { url: '/earn' });

    expect(await screen.findByText('48')).toBeTruthy();
    expect(screen.getByText('days without a violation')).toBeTruthy();
    expect(screen.getByText(/Next reward at 60 days, on .*\(12 days from now\)/)).toBeTruthy();
    expect(screen.getByText('20 pts')).toBeTruthy();

    expect(await screen.findByText('10 points for each hour, once the committee approves your claim.')).toBeTruthy();
    expect(screen.getByText('At most 40 hours a month.')).toBeTruthy();
    expect(screen.getByText('Road collapse: 10 points.')).toBeTruthy();
    expect(screen.getByText('20 points for every 30 days in a row without a traffic violation.')).toBeTruthy();

    const records = screen.getByRole('heading', { name: 'Your latest safety records' }).nextElementSibling as HTMLElement;
    const [violation, inspection] = within(records).getAllByRole('listitem');
    expect(violation!.textContent).toContain('Traffic violation (minor)');
    expect(within(violation!).getByRole('link', { name: /^Appeal/ }).getAttribute('href')).toBe(
      `/earn/appeals/new?kind=safety_event&id=${safety.recentEvents[0]!.id}`,
    );
    expect(within(inspection!).queryByRole('link', { name: /Appeal/ })).toBeNull();

    expect(screen.getByRole('link', { name: 'Claim volunteering hours' }).getAttribute('href')).toBe('/earn/volunteering/new');
    expect(screen.getByRole('link', { name: 'Report a road problem' }).getAttribute('href')).toBe('/earn/reports/new');
    for (const [name, href] of [
      ['My volunteering claims', '/earn/volunteering'],
      ['My road reports', '/earn/reports'],
      ['My appeals', '/earn/appeals'],
    ]) {
      expect(screen.getByRole('link', { name }).getAttribute('href')).toBe(href);
    }
  });

  it('a failing part says so in words and the rest of the page still works', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/me/safety': () => safety,
      'GET /api/me/earning-rates': () => problem(500, 'Internal Server Error'),
      'GET /api/appeals': () => ({ items: [], nextCursor: null }),
    });
    renderPage(EarnHub, { url: '/earn' });
    expect(await screen.findByText(/Something went wrong on our side \(error 500\)/)).toBeTruthy();
    expect(await screen.findByText('48')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Report a road problem' })).toBeTruthy();
  });
});
