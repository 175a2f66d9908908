// Grid reports, who may do what: drivers file and read their own; only the committee moves a
// report along; nobody else sees another driver's reports or photos (404, not 403, so ids leak
// nothing).

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { createPartner } from '../../api/partners/partners.service';
import { fileReport, filed, getBytes, HERE, north, storedCounts, transition } from './grid-reports-support';

describeEachBackend('grid reports: access', (current) => {
  it('a driver cannot move any report, not even their own (403), and nothing changes', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const report = await filed(t, driver.token);
    const before = await storedCounts(t.db);
    for (const body of [{ to: 'verified' }, { to: 'rejected', reason: 'spam report' }, { to: 'duplicate' }]) {
      expectProblem(await transition(t, driver.token, report.id, body), 403, 'forbidden');
    }
    expect(await storedCounts(t.db)).toEqual(before);
    const detail = await t.call('GET', `/api/grid-reports/${report.id}`, { token: driver.token });
    expect([detail.json.status, detail.json.payment]).toEqual(['submitted', null]);
  });

  it("a driver cannot see another driver's report, its photo, or find it in a list (404 / absent)", async () => {
    const t = testApp(current());
    const owner = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    const report = await filed(t, owner.token);
    const mine = await filed(t, other.token, north(HERE, 5000));

    expectProblem(await t.call('GET', `/api/grid-reports/${report.id}`, { token: other.token }), 404, 'grid_report_not_found');
    expectProblem(await t.call('GET', report.photoUrl, { token: other.token }), 404, 'photo_not_found');
    const list = await t.call('GET', '/api/grid-reports?status=all', { token: other.token });
    expect(list.json.items.map((r: any) => r.id)).toEqual([mine.id]);
    expectProblem(await t.call('GET', `/api/grid-reports?driverId=${owner.id}`, { token: other.token }), 403, 'forbidden');
    // the owner, of course, can
    expect((await getBytes(t, report.photoUrl, owner.token)).status).toBe(200);
  });

  it('partner staff see no reports and no photos; the committee sees everything but cannot file', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const partner = await createPartner(t.db, committee.id, { name: 'Shunda Garage', kind: 'garage', region: 'Baoan' }, t.clock.now());
    const staff = await t.signedIn('partner_staff', { partnerId: partner.id });
    const report = await filed(t, driver.token);

    expectProblem(await t.call('GET', '/api/grid-reports', { token: staff.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', `/api/grid-reports/${report.id}`, { token: staff.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', report.photoUrl, { token: staff.token }), 404, 'photo_not_found');
    expect((await t.call('GET', `/api/grid-reports/${report.id}`, { token: committee.token })).json.driverId).toBe(driver.id);
    expect((await getBytes(t, report.photoUrl, committee.token)).status).toBe(200);

    const before = await storedCounts(t.db);
    expectProblem(await fileReport(t, committee.token), 403, 'forbidden');
    expectProblem(await fileReport(t, staff.token), 403, 'forbidden');
    expect(await storedCounts(t.db)).toEqual(before);
  });

  it('signed out: every grid report route and the photos are 401', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const report = await filed(t, driver.token);
    const before = await storedCounts(t.db);
    expectProblem(await fileReport(t, ''), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/grid-reports'), 401, 'unauthenticated');
    expectProblem(await t.call('GET', `/api/grid-reports/${report.id}`), 401, 'unauthenticated');
    expectProblem(await t.call('POST', `/api/grid-reports/${report.id}/transition`, { body: { to: 'verified' } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', report.photoUrl), 401, 'unauthenticated');
    expect(await storedCounts(t.db)).toEqual(before);
  });
});
