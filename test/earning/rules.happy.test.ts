import Decimal from 'decimal.js';
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { earn, ruleVersionAt } from '../../api/earning/earn';
import { queryRows } from '../../db/client';
import { auditLog } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';

const VOLUNTEERING = '00000000-0000-4000-8000-000000000101';
const WEEK = 7 * 86_400_000;

async function committee(t: TestApp) {
  return t.signedIn('committee');
}

describeEachBackend('reward rules: list, versions, schedule', (current) => {
  it('lists the four programme defaults, each with version 1 in force and nothing scheduled', async () => {
    const t = testApp(current());
    const { token } = await committee(t);
    const res = await t.call('GET', '/api/reward-rules', { token });
    expect(res.status, res.text).toBe(200);
    const items = res.json.items as any[];
    expect(items.map((r) => r.activity)).toEqual(['volunteering', 'grid_report', 'safety_streak', 'safety_challenge']);
    for (const rule of items) {
      expect(rule.current).toMatchObject({ version: 1, effectiveFrom: '2000-01-01T00:00:00.000Z', enabled: true, status: 'in_force', createdBy: null, note: 'programme default' });
      expect(rule.scheduled).toEqual([]);
      expect(rule.history.map((v: any) => v.version)).toEqual([1]);
    }
    expect(items[0].current.terms).toEqual({ points: '10', unit: 'hour', caps: { month: '40' } });
    expect(items[1].current.terms).toEqual({ points: '5', unit: 'report', pointsByCategory: { broken_manhole_cover: '10', road_collapse: '10' }, caps: { month: '30' } });
    expect(items[2].current.terms).toEqual({ points: '20', unit: 'milestone', everyDays: 30 });
    expect(items[3].current.terms).toEqual({ points: '100', unit: 'milestone', everyDays: 100 });

    const one = await t.call('GET', `/api/reward-rules/${VOLUNTEERING}`, { token });
    expect(one.status, one.text).toBe(200);
    expect(one.json).toEqual(items[0]);
  });

  it('a version effective now takes over at once; the old one ends and stays in the history; audited', async () => {
    const t = testApp(current());
    const member = await committee(t);
    const res = await t.call('POST', `/api/reward-rules/${VOLUNTEERING}/versions`, {
      token: member.token,
      body: { terms: { points: '12.50', unit: 'hour', caps: { month: '30', week: '12' }, minHours: '1' }, note: 'Exam season' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.version).toMatchObject({ version: 2, effectiveFrom: t.clock.now().toISOString(), status: 'in_force', note: 'Exam season' });
    expect(res.json.version.createdBy).toEqual({ id: member.id, name: expect.stringContaining('committee') });
    expect(res.json.rule.current.version).toBe(2);
    expect(res.json.rule.history.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'in_force'],
      [1, 'ended'],
    ]);

    const v = await ruleVersionAt(t.db, 'volunteering', t.clock.now());
    expect([v!.version, v!.terms.points, v!.terms.caps]).toEqual([2, '12.50', { month: '30', week: '12' }]);

    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'reward_rule.version.create'), eq(auditLog.targetId, VOLUNTEERING)));
    expect(entry!.actorId).toBe(member.id);
    expect(entry!.before).toMatchObject({ version: 1, terms: { points: '10' } });
    expect(entry!.after).toMatchObject({ version: 2, terms: { points: '12.50' }, note: 'Exam season', effectiveFrom: t.clock.now().toISOString() });
  });

  it('a version scheduled for next week does not change what today pays; activity from next week is paid under it', async () => {
    const t = testApp(current());
    const { token } = await committee(t);
    const nextWeek = new Date(t.clock.now().getTime() + WEEK);
    const res = await t.call('POST', `/api/reward-rules/${VOLUNTEERING}/versions`, {
      token,
      body: { effectiveFrom: nextWeek.toISOString(), terms: { points: '20', unit: 'hour' }, note: 'Doubled from next week' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.version.status).toBe('scheduled');
    expect(res.json.rule.current.version).toBe(1);
    expect(res.json.rule.scheduled.map((v: any) => [v.version, v.effectiveFrom])).toEqual([[2, nextWeek.toISOString()]]);

    const driver = await t.signedIn('driver');
    const pay = (sourceId: string, at: Date) =>
      t.db.transaction((tx) => earn(tx, t.clock, { driverId: driver.id, source: 'volunteering', sourceId, activityAt: at, units: new Decimal(2), reason: 'convoy' }));
    const today = await pay('today', t.clock.now());
    const justBefore = await pay('just-before', new Date(nextWeek.getTime() - 1));
    const later = await pay('next-week', nextWeek);
    expect(today.paid && [today.earning.points.toFixed(2), today.earning.ruleVersionId]).toEqual(['20.00', res.json.rule.current.id]);
    expect(justBefore.paid && justBefore.earning.points.toFixed(2)).toBe('20.00');
    expect(later.paid && [later.earning.points.toFixed(2), later.earning.ruleVersionId]).toEqual(['40.00', res.json.version.id]);

    // a week on, the listing moves it from scheduled to in force
    t.clock.set(nextWeek);
    const list = await t.call('GET', `/api/reward-rules/${VOLUNTEERING}`, { token });
    expect(list.json.current.version).toBe(2);
    expect(list.json.scheduled).toEqual([]);
  });

  it('a later-made version with the same moment calls off a scheduled one (shown as overridden)', async () => {
    const t = testApp(current());
    const { token } = await committee(t);
    const at = new Date(t.clock.now().getTime() + WEEK).toISOString();
    const add = (points: string, enabled = true) =>
      t.call('POST', `/api/reward-rules/${VOLUNTEERING}/versions`, { token, body: { effectiveFrom: at, enabled, terms: { points, unit: 'hour' }, note: `to ${points}` } });
    expect((await add('20')).status).toBe(201);
    const second = await add('10', false);
    expect(second.status, second.text).toBe(201);
    expect(second.json.rule.history.map((v: any) => [v.version, v.status, v.enabled])).toEqual([
      [3, 'scheduled', false],
      [2, 'overridden', true],
      [1, 'in_force', true],
    ]);
    expect(second.json.rule.scheduled.map((v: any) => v.version)).toEqual([3]);
    const then = await ruleVersionAt(t.db, 'volunteering', new Date(at));
    expect([then!.version, then!.enabled]).toEqual([3, false]);
  });

  it('creates the rule for an activity that has none, with its first version; a second create is a 409', async () => {
    const t = testApp(current());
    const member = await committee(t);
    // The migration seeds every activity; take one away (bypassing the append-only guard) to have one to create.
    await t.db.execute(sql`alter table reward_rule_versions disable trigger reward_rule_versions_append_only`);
    await t.db.execute(sql`delete from reward_rule_versions where rule_id = '00000000-0000-4000-8000-000000000104'`);
    await t.db.execute(sql`delete from reward_rules where activity = 'safety_challenge'`);
    await t.db.execute(sql`alter table reward_rule_versions enable trigger reward_rule_versions_append_only`);

    const body = { activity: 'safety_challenge', name: '60-day challenge', terms: { points: '50', unit: 'milestone', everyDays: 60 }, note: 'Shorter challenge' };
    const res = await t.call('POST', '/api/reward-rules', { token: member.token, body });
    expect(res.status, res.text).toBe(201);
    expect(res.json.rule).toMatchObject({ activity: 'safety_challenge', name: '60-day challenge' });
    expect(res.json.version).toMatchObject({ version: 1, status: 'in_force', terms: body.terms, createdBy: { id: member.id } });
    const v = await ruleVersionAt(t.db, 'safety_challenge', t.clock.now());
    expect([v!.id, v!.terms.everyDays]).toEqual([res.json.version.id, 60]);
    const audits = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where target_id = ${res.json.rule.id}`);
    expect(audits.map((a) => a.action)).toEqual(['reward_rule.create']);

    const again = await t.call('POST', '/api/reward-rules', { token: member.token, body });
    expect(again.status, again.text).toBe(409);
    expect(again.json.code).toBe('rule_exists');
    const versions = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from reward_rule_versions where rule_id = ${res.json.rule.id}`);
    expect(versions[0]!.n).toBe(1);
  });

  it('tells a driver what earns points now: the rules in force and switched on, without the committee’s history', async () => {
    const t = testApp(current());
    const member = await committee(t);
    const driver = await t.signedIn('driver');
    const rates = await t.call('GET', '/api/me/earning-rates', { token: driver.token });
    expect(rates.status, rates.text).toBe(200);
    expect(rates.json.items.map((r: any) => r.activity)).toEqual(['volunteering', 'grid_report', 'safety_streak', 'safety_challenge']);
    expect(rates.json.items[0]).toEqual({ activity: 'volunteering', name: expect.any(String), terms: { points: '10', unit: 'hour', caps: { month: '40' } } });

    const off = await t.call('POST', `/api/reward-rules/${VOLUNTEERING}/versions`, {
      token: member.token,
      body: { enabled: false, terms: { points: '10', unit: 'hour' }, note: 'Paused' },
    });
    expect(off.status, off.text).toBe(201);
    const after = await t.call('GET', '/api/me/earning-rates', { token: driver.token });
    expect(after.json.items.map((r: any) => r.activity)).toEqual(['grid_report', 'safety_streak', 'safety_challenge']);

    const forCommittee = await t.call('GET', '/api/me/earning-rates', { token: member.token });
    expect(forCommittee.status).toBe(403);
    expect((await t.call('GET', '/api/me/earning-rates')).status).toBe(401);
  });
});
