// The earning modules re-grade a driver as soon as an activity's change commits: the stored
// rating (read straight from the table, not through GET /me/rating, which would refresh it)
// already counts an approved claim, a verified report and a new safety event.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, type Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { filed, HERE, transition } from './grid-reports-support';

const stored = (db: Db, driverId: string) =>
  queryOne<{ hours: string; reports: number; minor: number }>(
    db,
    sql`select volunteer_hours::text as hours, verified_reports::int as reports, minor_violations::int as minor
          from driver_ratings where driver_id = ${driverId}`,
  );

describeEachBackend('rating hooks in the earning modules', (current) => {
  it('approving a claim, verifying a report and recording a violation each re-grade the driver', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    expect(await stored(t.db, driver.id)).toBeUndefined();

    const claim = await t.call('POST', '/api/volunteering', { token: driver.token, body: { event: 'Exam-day convoy', date: '2026-05-20', hours: '6' } });
    expect(claim.status, claim.text).toBe(201);
    expect((await t.call('POST', `/api/volunteering/${claim.json.id}/approve`, { token: committee.token })).status).toBe(200);
    expect(await stored(t.db, driver.id)).toMatchObject({ hours: '6.00', reports: 0, minor: 0 });

    const report = await filed(t, driver.token, HERE);
    expect((await transition(t, committee.token, report.id, { to: 'verified' })).status).toBe(200);
    expect(await stored(t.db, driver.id)).toMatchObject({ hours: '6.00', reports: 1 });

    const events = await t.call('POST', '/api/safety-events', {
      token: committee.token,
      body: { events: [{ externalId: `hook-${driver.id}`, driverId: driver.id, kind: 'violation', severity: 'minor', occurredAt: '2026-05-30T02:00:00.000Z' }] },
    });
    expect(events.status, events.text).toBeLessThan(300);
    expect(await stored(t.db, driver.id)).toMatchObject({ minor: 1 });
  });
});
