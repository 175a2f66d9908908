// Instant awards: a committee member grants points with a reason, bounded by the programme
// maximum (at the maximum pays, one cent over is refused), audited in the same transaction,
// idempotent by Idempotency-Key; drivers cannot award.

import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { walletOf } from '../../api/ledger/accounts';
import { balance, verify } from '../../api/ledger/reads';
import { auditLog, earnings } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

async function scene(t: TestApp) {
  const committee = await t.signedIn('committee');
  const driver = await t.signedIn('driver');
  const wallet = (await walletOf(t.db, driver.id))!;
  const award = (body: Record<string, unknown>, key = `award-${Math.random()}`, token = committee.token) =>
    t.call('POST', '/api/awards', { token, body, headers: { 'idempotency-key': key } });
  const available = async () => (await balance(t.db, wallet)).available.toFixed(2);
  const awardsOf = (driverId: string) => t.db.select().from(earnings).where(and(eq(earnings.source, 'award'), eq(earnings.driverId, driverId)));
  const auditEntries = () => t.db.select().from(auditLog).where(eq(auditLog.action, 'earning.award'));
  return { committee, driver, wallet, award, available, awardsOf, auditEntries };
}

describeEachBackend('instant awards', (current) => {
  it('an award of exactly the maximum pays the wallet, records an earning and audits it', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const res = await s.award({ driverId: s.driver.id, points: '500.00', reason: 'Night-time rescue on the G4' }, 'award-key-0001');
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ driverId: s.driver.id, points: '500.00', reason: 'Night-time rescue on the G4', awardedBy: s.committee.id, replayed: false });
    expect(await s.available()).toBe('500.00');

    const [earning] = await s.awardsOf(s.driver.id);
    expect(earning).toMatchObject({
      id: res.json.earningId,
      transferId: res.json.transferId,
      sourceId: `${s.committee.id}:award-key-0001`,
      ruleVersionId: null,
      multiplier: '1.000',
      actorId: s.committee.id,
      reason: 'Night-time rescue on the G4',
    });
    expect(earning!.points.toFixed(2)).toBe('500.00');
    const audits = await s.auditEntries();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: s.committee.id, targetType: 'driver', targetId: s.driver.id });
    expect(audits[0]!.after).toMatchObject({ earningId: res.json.earningId, transferId: res.json.transferId, points: '500.00' });

    const statement = await t.call('GET', '/api/me/statement', { token: s.driver.token });
    expect(statement.json.lines[0]).toMatchObject({ transferId: res.json.transferId, amount: '500.00', code: 'earn.award' });
    expect((await verify(t.db, t.clock.now())).ok).toBe(true);
  });

  it('one cent over the maximum is a 422 that names the maximum, and nothing is paid or audited', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const problem = expectProblem(await s.award({ driverId: s.driver.id, points: '500.01', reason: 'Too generous' }), 422, 'award_too_large');
    expect(problem.detail).toContain('500.00');
    expect(await s.available()).toBe('0.00');
    expect(await s.awardsOf(s.driver.id)).toEqual([]);
    expect(await s.auditEntries()).toEqual([]);
  });

  it('the maximum follows the programme setting', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const put = await t.call('PUT', '/api/programme-settings/awards', { token: s.committee.token, body: { maxPoints: '50' } });
    expect(put.status, put.text).toBe(200);
    expect(expectProblem(await s.award({ driverId: s.driver.id, points: '50.01', reason: 'Over the new limit' }), 422, 'award_too_large').detail).toContain('50.00');
    expect((await s.award({ driverId: s.driver.id, points: '50', reason: 'At the new limit' })).status).toBe(201);
    expect(await s.available()).toBe('50.00');
  });

  it('a retry with the same key returns the first award; the same key for another award is a 409', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const body = { driverId: s.driver.id, points: '25.50', reason: 'Helped at the exam-day convoy' };
    const first = await s.award(body, 'same-key-123');
    const again = await s.award(body, 'same-key-123');
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ earningId: first.json.earningId, transferId: first.json.transferId, replayed: true });
    expectProblem(await s.award({ ...body, points: '30.00' }, 'same-key-123'), 409, 'idempotency_conflict');
    expectProblem(await s.award({ ...body, reason: 'Something else entirely' }, 'same-key-123'), 409, 'idempotency_conflict');
    const other = await t.signedIn('driver');
    expectProblem(await s.award({ ...body, driverId: other.id }, 'same-key-123'), 409, 'idempotency_conflict');
    expect(await s.available()).toBe('25.50');
    expect(await s.awardsOf(s.driver.id)).toHaveLength(1);
    expect(await s.auditEntries()).toHaveLength(1);
    // keys belong to the committee member: another member's identical key is a new award
    const colleague = await t.signedIn('committee');
    const theirs = await s.award(body, 'same-key-123', colleague.token);
    expect(theirs.json).toMatchObject({ replayed: false, awardedBy: colleague.id });
    expect(await s.available()).toBe('51.00');
  });

  it.each([
    ['zero points', { points: '0.00' }, 'points'],
    ['negative points', { points: '-5' }, 'points'],
    ['points as a JSON number', { points: 5 }, 'points'],
    ['three decimals', { points: '1.005' }, 'points'],
    ['no reason', { reason: undefined }, 'reason'],
    ['a blank reason', { reason: '   ' }, 'reason'],
    ['a driver id that is not a UUID', { driverId: 'driver-7' }, 'driverId'],
  ])('%s is a 400 naming the field', async (_name, change, field) => {
    const t = testApp(current());
    const s = await scene(t);
    const res = await s.award({ driverId: s.driver.id, points: '10.00', reason: 'Good work', ...change });
    expect(expectProblem(res, 400, 'validation_failed').errors?.map((e) => e.path)).toContain(field);
    expect(await s.available()).toBe('0.00');
  });

  it('an unknown driver, or a user who is not a driver, is a 404', async () => {
    const t = testApp(current());
    const s = await scene(t);
    expectProblem(await s.award({ driverId: '00000000-0000-4000-8000-00000000dead', points: '10', reason: 'Ghost' }), 404, 'not_found');
    expectProblem(await s.award({ driverId: s.committee.id, points: '10', reason: 'Self-service' }), 404, 'not_found');
    expect(await s.auditEntries()).toEqual([]);
  });

  it('an award needs an Idempotency-Key', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const res = await t.call('POST', '/api/awards', { token: s.committee.token, body: { driverId: s.driver.id, points: '10', reason: 'No key' } });
    expect(expectProblem(res, 400, 'validation_failed').errors?.map((e) => e.path)).toContain('idempotency-key');
    expect(await s.available()).toBe('0.00');
  });

  it('a driver cannot award (403), nor can a signed-out caller (401)', async () => {
    const t = testApp(current());
    const s = await scene(t);
    expectProblem(await s.award({ driverId: s.driver.id, points: '10', reason: 'Treat myself' }, 'driver-key-1', s.driver.token), 403, 'forbidden');
    expectProblem(await t.call('POST', '/api/awards', { body: { driverId: s.driver.id, points: '10', reason: 'x-x-x' }, headers: { 'idempotency-key': 'anon-key-1' } }), 401);
    expect(await s.available()).toBe('0.00');
    expect(await s.awardsOf(s.driver.id)).toEqual([]);
  });
});
