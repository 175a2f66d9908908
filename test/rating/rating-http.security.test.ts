// Who may see and change what: drivers see only their own rating; policies and other drivers'
// ratings are the committee's.

import { expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../api/rating/policy';
import { testApp } from '../support/app';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { countRows } from './rating-support';

describeEachBackend('rating API: security', (current) => {
  it('drivers, partner staff and integrations get 403 on every committee route, and nothing changes', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    const staff = await t.signedIn('integration');
    const committeeRoutes: Array<[string, string, unknown?]> = [
      ['GET', '/api/rating-policies'],
      ['GET', '/api/rating-policies/1'],
      ['POST', '/api/rating-policies', { policy: DEFAULT_POLICY }],
      ['POST', '/api/rating-policies/simulate', { policy: DEFAULT_POLICY }],
      ['GET', `/api/drivers/${other.id}/rating`],
      ['GET', `/api/drivers/${driver.id}/rating`],
    ];
    for (const who of [driver, staff]) {
      for (const [method, path, body] of committeeRoutes) {
        expectProblem(await t.call(method, path, { token: who.token, body }), 403, 'forbidden');
      }
    }
    expect(await countRows(t.db, 'driver_ratings')).toBe(0);
    expect(await countRows(t.db, 'rating_runs')).toBe(0);
  });

  it('a driver sees only their own rating; signed out is 401; /me/rating is for drivers only', async () => {
    const t = testApp(current());
    const a = await t.signedIn('driver');
    const b = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const mine = await t.call('GET', '/api/me/rating', { token: a.token });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json.driverId).toBe(a.id);
    // query strings cannot point /me/rating at someone else
    const sneaky = await t.call('GET', `/api/me/rating?driverId=${b.id}&id=${b.id}`, { token: a.token });
    expect(sneaky.json.driverId).toBe(a.id);
    expectProblem(await t.call('GET', '/api/me/rating'), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/me/rating', { token: committee.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/rating-policies'), 401, 'unauthenticated');
    expect(await countRows(t.db, 'driver_ratings')).toBe(1);
  });
});
