import { render, screen, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import ReportDetailPage from '../../../web/src/earn/ReportDetail';
import { StatusTimeline } from '../../../web/src/earn/StatusTimeline';
import { formatDateTime, setLanguage } from '../../../web/src/i18n';
import { fakeApi, problem, renderPage } from '../support/render';
import { appeal, driver, report } from './fixtures';

const committee = { id: 'e0000000-0000-4000-8000-000000000009', name: 'Zhou Min', role: 'committee' };

function steps(list: HTMLElement) {
  return within(list)
    .getAllByRole('listitem')
    .map((item) => ({ text: item.textContent ?? '', time: item.querySelector('time')?.getAttribute('datetime') ?? null }));
}

describe('status timeline', () => {
  beforeEach(() => setLanguage('en'));

  it('shows steps in the order given, each with its time, and marks the ones still to come', () => {
    render(() => (
      <StatusTimeline
        label="Progress"
        steps={[
          { label: 'Submitted', state: 'done', at: '2026-05-01T01:00:00.000Z', details: ['By you'] },
          { label: 'Verified', state: 'done', at: '2026-05-02T03:30:00.000Z' },
          { label: 'Forwarded', state: 'next' },
        ]}
      />
    ));
    const list = screen.getByRole('list', { name: 'Progress' });
    expect(steps(list)).toEqual([
      { text: `Submitted${formatDateTime('2026-05-01T01:00:00.000Z')}By you`, time: '2026-05-01T01:00:00.000Z' },
      { text: `Verified${formatDateTime('2026-05-02T03:30:00.000Z')}`, time: '2026-05-02T03:30:00.000Z' },
      { text: 'Forwarded (not yet)', time: null },
    ]);
    expect(formatDateTime('2026-05-02T03:30:00.000Z')).toMatch(/11:30/); // Beijing time
  });

  it('a report page shows its photo, place and history in order with who did each step, then what is left', async () => {
    const history = [
      { from: null, to: 'submitted' as const, actor: { id: driver.id, name: driver.name, role: 'driver' }, note: null, department: null, at: '2026-05-01T01:00:00.000Z' },
      { from: 'submitted' as const, to: 'verified' as const, actor: committee, note: null, department: null, at: '2026-05-02T02:00:00.000Z' },
      { from: 'verified' as const, to: 'forwarded' as const, actor: committee, note: 'Urgent: near a school', department: 'Futian road maintenance', at: '2026-05-03T06:45:00.000Z' },
    ];
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/grid-reports/${report().id}`]: () =>
        report({ status: 'forwarded', department: 'Futian road maintenance', history, payment: { earningId: 'e1', points: '5.00', ruleVersionId: null, paidAt: '2026-05-02T02:00:00.000Z' } }),
    });
    renderPage(ReportDetailPage, { url: `/earn/reports/${report().id}`, path: '/earn/reports/:id' });

    const list = await screen.findByRole('list', { name: 'Progress' });
    const shown = steps(list);
    expect(shown.map((s) => s.time)).toEqual([...history.map((h) => h.at), null, null]);
    expect(shown[0]!.text).toContain('Submitted');
    expect(shown[0]!.text).toContain('By you');
    expect(shown[1]!.text).toContain('Verified');
    expect(shown[1]!.text).toContain('By: Committee member');
    expect(shown[2]!.text).toContain('Forwarded');
    expect(shown[2]!.text).toContain('Department: Futian road maintenance');
    expect(shown[2]!.text).toContain('Urgent: near a school');
    expect(shown[2]!.text).toContain(formatDateTime('2026-05-03T06:45:00.000Z'));
    expect(shown.slice(3).map((s) => s.text)).toEqual(['Resolved (not yet)', 'Closed (not yet)']);

    const photo = screen.getByRole('img', { name: /Your photo of the problem \(Pothole\)/ }) as HTMLImageElement;
    expect(photo.getAttribute('src')).toBe(report().photoUrl);
    expect(screen.getByText(/22\.543096, 114\.057865/)).toBeTruthy();
    expect(screen.getByText('5 pts')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Appeal/ })).toBeNull();
  });

  it('a rejected report ends the timeline with the reason and offers an appeal', async () => {
    const history = [
      { from: null, to: 'submitted' as const, actor: { id: driver.id, name: driver.name, role: 'driver' }, note: null, department: null, at: '2026-05-01T01:00:00.000Z' },
      { from: 'submitted' as const, to: 'rejected' as const, actor: committee, note: 'The photo shows no defect', department: null, at: '2026-05-02T02:00:00.000Z' },
    ];
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/grid-reports/${report().id}`]: () => report({ status: 'rejected', history }),
      'GET /api/appeals': () => ({ items: [appeal()], nextCursor: null }),
    });
    renderPage(ReportDetailPage, { url: `/earn/reports/${report().id}`, path: '/earn/reports/:id' });

    const list = await screen.findByRole('list', { name: 'Progress' });
    const shown = steps(list);
    expect(shown).toHaveLength(2);
    expect(shown[0]!.text).toMatch(/^Submitted/);
    expect(shown[1]!.text).toMatch(/^Rejected/);
    expect(shown[1]!.text).toContain('The photo shows no defect');
    const link = await screen.findByRole('link', { name: /^Appeal/ });
    expect(link.getAttribute('href')).toBe(`/earn/appeals/new?kind=grid_report&id=${report().id}`);
  });

  it('says in words when the report cannot be loaded', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/grid-reports/${report().id}`]: () => problem(404, 'Not found', `no grid report ${report().id}`),
    });
    renderPage(ReportDetailPage, { url: `/earn/reports/${report().id}`, path: '/earn/reports/:id' });
    expect(await screen.findByText(`no grid report ${report().id}`)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
