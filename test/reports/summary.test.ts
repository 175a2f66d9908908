// GET /api/reports/summary: the figures of a small known programme (see reports-support.ts),
// day by day in programme time, the holds open before a period, the default period, and the
// problems for a period that is not one.

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { testApp } from '../support/app';
import { ledgerSoundAfterEach } from '../market/market-support';
import { threeDayScene, type ThreeDayScene } from './reports-support';

describeEachBackend('reports: summary', (current) => {
  ledgerSoundAfterEach(current);

  const summaryOf = async (s: ThreeDayScene, query: string) => {
    const res = await s.call('GET', `/api/reports/summary${query}`, { token: s.committee.token });
    expect(res.status, res.text).toBe(200);
    return res.json;
  };

  it('issued, redeemed, expired, held and outstanding, by category and region, and the daily series', async () => {
    const s = await threeDayScene(current());
    const report = await summaryOf(s, '?from=2026-05-31&to=2026-06-04');
    expect(report).toMatchObject({
      from: '2026-05-31',
      to: '2026-06-04',
      timeZone: 'Asia/Shanghai',
      asOf: '2026-06-03T04:00:00.000Z',
      issued: '780.00',
      redeemed: '140.00',
      redemptions: 2,
      expired: '5.00',
      held: '50.00',
      openHolds: 1,
      outstanding: '635.00',
    });
    expect(report.byCategory).toEqual([
      { key: 'repair', redemptions: 1, points: '100.00' },
      { key: 'training', redemptions: 1, points: '40.00' },
      { key: 'inspection', redemptions: 0, points: '0.00' },
      { key: 'other', redemptions: 0, points: '0.00' },
    ]);
    expect(report.byRegion).toEqual([
      { key: 'Baoan', redemptions: 1, points: '100.00' },
      { key: 'Nanshan', redemptions: 1, points: '40.00' },
    ]);
    // the 40 confirmed at 00:30 on 06-03 (16:30 UTC on 06-02) counts on 06-03
    expect(report.series).toEqual([
      { date: '2026-05-31', issued: '0.00', redeemed: '0.00', held: '0.00' },
      { date: '2026-06-01', issued: '800.00', redeemed: '0.00', held: '50.00' },
      { date: '2026-06-02', issued: '-20.00', redeemed: '100.00', held: '50.00' },
      { date: '2026-06-03', issued: '0.00', redeemed: '40.00', held: '50.00' },
    ]);
  });

  it('a later period starts with the holds still open from before it, and leaves out what came before', async () => {
    const s = await threeDayScene(current());
    const report = await summaryOf(s, '?from=2026-06-02&to=2026-06-04');
    expect(report).toMatchObject({ issued: '-20.00', redeemed: '140.00', redemptions: 2, expired: '5.00', held: '50.00', outstanding: '635.00' });
    expect(report.series.map((d: { held: string }) => d.held)).toEqual(['50.00', '50.00']);

    const first = await summaryOf(s, '?from=2026-06-01&to=2026-06-02');
    expect(first).toMatchObject({ issued: '800.00', redeemed: '0.00', redemptions: 0, expired: '0.00' });
    expect(first.byRegion).toEqual([
      { key: 'Baoan', redemptions: 0, points: '0.00' },
      { key: 'Nanshan', redemptions: 0, points: '0.00' },
    ]);
  });

  it('a hold resolved during the period leaves the series on the day it is resolved', async () => {
    const s = await threeDayScene(current());
    s.clock.set('2026-06-03T05:00:00.000Z'); // 06-03 13:00
    expect((await s.cancel(s.b.token, s.open.id)).status).toBe(200);
    const report = await summaryOf(s, '?from=2026-06-01&to=2026-06-04');
    expect(report.series.map((d: { held: string }) => d.held)).toEqual(['50.00', '50.00', '0.00']);
    expect(report).toMatchObject({ held: '0.00', openHolds: 0, outstanding: '635.00' });
  });

  it('grades: every driver counted once, ungraded until rated', async () => {
    const s = await threeDayScene(current());
    const before = await summaryOf(s, '');
    const total = (r: { grades: { drivers: number }[] }) => r.grades.reduce((n, g) => n + g.drivers, 0);
    expect(before.grades.map((g: { grade: string }) => g.grade)).toEqual(['AAA', 'AA', 'A', 'B', 'ungraded']);
    expect(total(before)).toBe(2);
    for (const d of [s.a, s.b]) expect((await s.call('GET', `/api/drivers/${d.id}/rating`, { token: s.committee.token })).status).toBe(200);
    const after = await summaryOf(s, '');
    // no safety events, no hours, no reports: 50 points, grade B under the default policy
    expect(after.grades).toEqual([
      { grade: 'AAA', drivers: 0 },
      { grade: 'AA', drivers: 0 },
      { grade: 'A', drivers: 0 },
      { grade: 'B', drivers: 2 },
      { grade: 'ungraded', drivers: 0 },
    ]);
  });

  it('by default: the last 30 programme days up to today', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    t.clock.set('2026-06-10T17:00:00.000Z'); // 06-11 01:00 in Shanghai
    const res = await t.call('GET', '/api/reports/summary', { token: committee.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ from: '2026-05-13', to: '2026-06-12', issued: '0.00', held: '0.00', outstanding: '0.00' });
    expect(res.json.series).toHaveLength(30);
    expect(res.json.series.at(-1)).toEqual({ date: '2026-06-11', issued: '0.00', redeemed: '0.00', held: '0.00' });
    const onlyFrom = await t.call('GET', '/api/reports/summary?from=2026-06-01', { token: committee.token });
    expect(onlyFrom.json).toMatchObject({ from: '2026-06-01', to: '2026-06-12' });
    const onlyTo = await t.call('GET', '/api/reports/summary?to=2026-06-01', { token: committee.token });
    expect(onlyTo.json).toMatchObject({ from: '2026-05-02', to: '2026-06-01' });
  });

  it('a period that is not one is a problem: malformed dates 400, backwards or too long 422', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const get = (q: string) => t.call('GET', `/api/reports/summary${q}`, { token: committee.token });
    const bad = expectProblem(await get('?from=2026-13-01'), 400, 'validation_failed');
    expect(bad.errors?.[0]?.path).toBe('from');
    expectProblem(await get('?to=yesterday'), 400, 'validation_failed');
    expectProblem(await get('?from=2026-06-02&to=2026-06-02'), 422, 'invalid_period');
    expectProblem(await get('?from=2026-06-03&to=2026-06-02'), 422, 'invalid_period');
    expectProblem(await get('?from=2025-01-01&to=2026-06-01'), 422, 'invalid_period');
    expect((await get('?from=2025-06-01&to=2026-06-02')).status).toBe(200); // 366 days
  });
});
