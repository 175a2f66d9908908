import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { day, safetyEventCount } from './safety-support';

describeEachBackend('earning: safety events (security)', (current) => {
  const event = (driverId: string, externalId: string) => ({ externalId, driverId, kind: 'violation', severity: 'major', occurredAt: day(1).toISOString() });

  it('drivers and partner staff cannot post events (403); signed out is 401; nothing stored', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const partner = (await t.call('POST', '/api/partners', { token: committee.token, body: { name: 'Garage', kind: 'garage', region: 'Baoan' } })).json;
    const staff = await t.signedIn('partner_staff', { partnerId: partner.id });
    const body = { events: [event(driver.id, 'self-report')] };
    expectProblem(await t.call('POST', '/api/safety-events', { token: driver.token, body }), 403, 'forbidden');
    expectProblem(await t.call('POST', '/api/safety-events', { token: staff.token, body }), 403, 'forbidden');
    expectProblem(await t.call('POST', '/api/safety-events', { body }), 401, 'unauthenticated');
    expect(await safetyEventCount(t.db)).toBe(0);
  });

  it("a driver sees only their own events, and cannot ask for another driver's", async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const me = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    const posted = await t.call('POST', '/api/safety-events', {
      token: committee.token,
      body: { events: [event(me.id, 'mine-1'), event(other.id, 'theirs-1'), event(other.id, 'theirs-2')] },
    });
    expect(posted.status, posted.text).toBe(201);

    const mine = await t.call('GET', '/api/safety-events', { token: me.token });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((e: any) => [e.externalId, e.driverId])).toEqual([['mine-1', me.id]]);
    const filtered = await t.call('GET', '/api/safety-events?kind=violation', { token: me.token });
    expect(filtered.json.items.map((e: any) => e.externalId)).toEqual(['mine-1']);
    expectProblem(await t.call('GET', `/api/safety-events?driverId=${other.id}`, { token: me.token }), 403, 'forbidden');
  });

  it('an integration account may post but not read the records; /me/safety is for drivers', async () => {
    const t = testApp(current());
    const integration = await t.signedIn('integration');
    const committee = await t.signedIn('committee');
    expectProblem(await t.call('GET', '/api/safety-events', { token: integration.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/me/safety', { token: committee.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/me/safety'), 401, 'unauthenticated');
  });
});
