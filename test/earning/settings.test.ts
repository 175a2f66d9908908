// Programme settings: the committee reads and changes the award maximum and points expiry;
// every change is audited with the value before and after; bad values are clear 400s that
// change nothing; nobody else may read or write them.

import { and, desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, programmeSettings } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';

describeEachBackend('programme settings', (current) => {
  it('the migration seeds the defaults: awards up to 500 points, points expire after 24 months with 30 days notice', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const res = await t.call('GET', '/api/programme-settings', { token: committee.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.awards).toEqual({ maxPoints: '500.00' });
    expect(res.json.expiry).toEqual({ months: 24, noticeDays: 30 });
  });

  it('a change is stored, served back and audited with the value before and after', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const put = await t.call('PUT', '/api/programme-settings/expiry', { token: committee.token, body: { months: 18, noticeDays: 14 } });
    expect(put.status, put.text).toBe(200);
    expect(put.json.expiry).toEqual({ months: 18, noticeDays: 14 });
    expect(put.json.updatedAt.expiry).toBe(t.clock.now().toISOString());
    const off = await t.call('PUT', '/api/programme-settings/expiry', { token: committee.token, body: { months: null, noticeDays: 14 } });
    expect(off.json.expiry).toEqual({ months: null, noticeDays: 14 });
    const awards = await t.call('PUT', '/api/programme-settings/awards', { token: committee.token, body: { maxPoints: '120.5' } });
    expect(awards.json.awards).toEqual({ maxPoints: '120.50' });

    const [row] = await t.db.select().from(programmeSettings).where(eq(programmeSettings.key, 'expiry'));
    expect(row).toMatchObject({ value: { months: null, noticeDays: 14 }, updatedBy: committee.id });
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.settings.update'), eq(auditLog.targetId, 'expiry')))
      .orderBy(desc(auditLog.id));
    expect(entries.map((e) => [e.actorId, e.before, e.after])).toEqual([
      [committee.id, { months: 18, noticeDays: 14 }, { months: null, noticeDays: 14 }],
      [committee.id, { months: 24, noticeDays: 30 }, { months: 18, noticeDays: 14 }],
    ]);
  });

  it.each([
    ['months 0', 'expiry', { months: 0, noticeDays: 30 }, 'months'],
    ['months a fraction', 'expiry', { months: 1.5, noticeDays: 30 }, 'months'],
    ['months as a string', 'expiry', { months: '24', noticeDays: 30 }, 'months'],
    ['months far too large', 'expiry', { months: 10_000, noticeDays: 30 }, 'months'],
    ['noticeDays missing', 'expiry', { months: 24 }, 'noticeDays'],
    ['noticeDays negative', 'expiry', { months: 24, noticeDays: -1 }, 'noticeDays'],
    ['an unknown field', 'expiry', { months: 24, noticeDays: 30, graceDays: 3 }, '(body)'],
    ['maxPoints zero', 'awards', { maxPoints: '0.00' }, 'maxPoints'],
    ['maxPoints as a JSON number', 'awards', { maxPoints: 500 }, 'maxPoints'],
    ['maxPoints with three decimals', 'awards', { maxPoints: '10.005' }, 'maxPoints'],
    ['maxPoints negative', 'awards', { maxPoints: '-5' }, 'maxPoints'],
  ])('%s is a 400 naming the field, and nothing changes', async (_name, key, body, field) => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const res = await t.call('PUT', `/api/programme-settings/${key}`, { token: committee.token, body });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain(field);
    const after = await t.call('GET', '/api/programme-settings', { token: committee.token });
    expect(after.json.awards).toEqual({ maxPoints: '500.00' });
    expect(after.json.expiry).toEqual({ months: 24, noticeDays: 30 });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'programme.settings.update'))).toEqual([]);
  });

  it('a body that is not JSON, or no body, is a 400', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    expectProblem(await t.call('PUT', '/api/programme-settings/expiry', { token: committee.token, body: '{"months":', headers: { 'content-type': 'application/json' } }), 400);
    expectProblem(await t.call('PUT', '/api/programme-settings/awards', { token: committee.token, body: 'null', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('an unknown setting is a 404', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    expectProblem(await t.call('PUT', '/api/programme-settings/bonus', { token: committee.token, body: { anything: 1 } }), 404);
  });

  it('drivers and signed-out callers can neither read nor change settings', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    expectProblem(await t.call('GET', '/api/programme-settings', { token: driver.token }), 403, 'forbidden');
    expectProblem(await t.call('PUT', '/api/programme-settings/awards', { token: driver.token, body: { maxPoints: '100000' } }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/programme-settings'), 401, 'unauthenticated');
    expectProblem(await t.call('PUT', '/api/programme-settings/expiry', { body: { months: null, noticeDays: 30 } }), 401, 'unauthenticated');
    const [row] = await t.db.select().from(programmeSettings).where(eq(programmeSettings.key, 'awards'));
    expect(row!.value).toEqual({ maxPoints: '500' });
  });
});
