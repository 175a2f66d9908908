// Appeals: a driver appeals their own rejected claim, rejected or duplicate report, or a safety
// event; the committee upholds (the claim or report is paid once, the event voided and the
// streak milestones re-evaluated) or dismisses, audited, and the driver is told in their inbox.

import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { transitionReport, fileReport } from '../../api/earning/grid-reports';
import { recordSafetyEvents } from '../../api/earning/safety';
import { rejectClaim, submitClaim } from '../../api/earning/volunteering';
import type { SessionUser } from '../../api/http/env';
import { verify } from '../../api/ledger/reads';
import type { DbHandle } from '../../db/client';
import { appeals, auditLog, earnings, gridReports, notifications, safetyEvents, volunteerClaims } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { png } from './photos-fixtures';
import { available, milestonesOf, setJoined } from './safety-support';

const HERE = { lat: '22.543096', lng: '114.057865' };

async function scene(handle: DbHandle) {
  const t = testApp(handle); // clock: 2026-06-01T08:00Z
  const committee = await t.signedIn('committee');
  const driver = await t.signedIn('driver');
  const other = await t.signedIn('driver');
  const actor: SessionUser = { id: committee.id, role: 'committee', name: 'Committee', phone: committee.phone, partnerId: null };

  const rejectedClaim = async (driverId = driver.id, hours = '4') => {
    const claim = await submitClaim(t.db, t.clock, driverId, { event: 'Exam-day convoy', date: '2026-05-20', hours });
    await rejectClaim(t.db, t.clock, actor, claim.id, 'no sign-in record');
    return claim.id;
  };
  const rejectedReport = async (driverId = driver.id, to: 'rejected' | 'duplicate' = 'rejected') => {
    const report = await fileReport(t.db, t.clock, driverId, { photo: png(), ...HERE, category: 'pothole', note: 'deep pothole in the right lane' });
    if (to === 'rejected') await transitionReport(t.db, t.clock, committee.id, report.id, { to: 'rejected', reason: 'photo too dark to judge' });
    else {
      const first = await fileReport(t.db, t.clock, other.id, { photo: png(), ...HERE, category: 'obstacle', note: 'first report' });
      await transitionReport(t.db, t.clock, committee.id, report.id, { to: 'duplicate', duplicateOf: first.id });
    }
    return report.id;
  };
  const violation = async (driverId = driver.id, occurredAt = new Date('2026-05-15T02:00:00Z'), kind: 'violation' | 'inspection_passed' = 'violation') => {
    const outcome = await recordSafetyEvents(t.db, t.clock, actor, [
      { externalId: `ev-${Math.random()}`, driverId, kind, severity: kind === 'violation' ? 'minor' : null, occurredAt },
    ]);
    return outcome.items[0]!.id;
  };
  const appeal = (subjectType: string, subjectId: string, token = driver.token, reason = 'Please look again: I was there all day.') =>
    t.call('POST', '/api/appeals', { token, body: { subjectType, subjectId, reason } });
  const decide = (id: string, decision: 'upheld' | 'dismissed', token = committee.token, note = 'Checked with the organiser.') =>
    t.call('POST', `/api/appeals/${id}/decide`, { token, body: { decision, note } });
  const inboxOf = (userId: string) => t.db.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, 'appeal_decided')));
  return { t, committee, driver, other, actor, rejectedClaim, rejectedReport, violation, appeal, decide, inboxOf };
}

describeEachBackend('appeals', (current) => {
  it('an upheld appeal on a rejected claim pays the hours once, approves the claim, audits it and tells the driver', async () => {
    const s = await scene(current());
    const claimId = await s.rejectedClaim();
    const filed = await s.appeal('volunteer_claim', claimId);
    expect(filed.status, filed.text).toBe(201);
    expect(filed.json).toMatchObject({
      status: 'open',
      driver: { id: s.driver.id },
      subjectType: 'volunteer_claim',
      subjectId: claimId,
      subject: { status: 'rejected', summary: 'Exam-day convoy, 4.00 h on 2026-05-20 — rejected: no sign-in record' },
      payment: null,
    });

    const decided = await s.decide(filed.json.id, 'upheld');
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json).toMatchObject({ status: 'upheld', decisionNote: 'Checked with the organiser.', decidedBy: s.committee.id, subject: { status: 'approved' } });
    expect(decided.json.payment.points).toBe('40.00');
    expect(await available(s.t.db, s.driver.id)).toBe('40.00');
    const [claim] = await s.t.db.select().from(volunteerClaims).where(eq(volunteerClaims.id, claimId));
    expect(claim!.status).toBe('approved');
    expect(await s.t.db.select().from(earnings).where(eq(earnings.sourceId, claimId))).toHaveLength(1);

    const [entry] = await s.t.db.select().from(auditLog).where(eq(auditLog.action, 'appeal.decide'));
    expect(entry).toMatchObject({ actorId: s.committee.id, targetType: 'appeal', targetId: filed.json.id, before: { status: 'open' } });
    expect(entry!.after).toMatchObject({ status: 'upheld', subjectId: claimId, paid: '40.00' });
    const [message] = await s.inboxOf(s.driver.id);
    expect(message).toMatchObject({ title: 'Your appeal on a volunteering claim was upheld' });
    expect(message!.body).toContain('40.00 points were paid');
    expect(message!.data).toMatchObject({ appealId: filed.json.id, decision: 'upheld', paid: '40.00' });

    // deciding again is a 409, and pays nothing more
    expectProblem(await s.decide(filed.json.id, 'upheld'), 409, 'appeal_decided');
    expect(await available(s.t.db, s.driver.id)).toBe('40.00');
    // the claim is approved now: nothing left to appeal
    expectProblem(await s.appeal('volunteer_claim', claimId), 422, 'not_appealable');
    expect((await verify(s.t.db, s.t.clock.now())).ok).toBe(true);
  });

  it('an upheld appeal on a rejected grid report verifies and pays it', async () => {
    const s = await scene(current());
    const reportId = await s.rejectedReport();
    const filed = await s.appeal('grid_report', reportId);
    expect(filed.status, filed.text).toBe(201);
    expect(filed.json.subject.status).toBe('rejected');
    const decided = await s.decide(filed.json.id, 'upheld');
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json).toMatchObject({ status: 'upheld', subject: { status: 'verified' }, payment: { points: '5.00' } });
    expect(await available(s.t.db, s.driver.id)).toBe('5.00');
    const [report] = await s.t.db.select().from(gridReports).where(eq(gridReports.id, reportId));
    expect(report!.status).toBe('verified');
  });

  it('a report marked duplicate can be appealed too', async () => {
    const s = await scene(current());
    const reportId = await s.rejectedReport(s.driver.id, 'duplicate');
    const filed = await s.appeal('grid_report', reportId);
    expect(filed.status, filed.text).toBe(201);
    expect((await s.decide(filed.json.id, 'upheld')).json.payment.points).toBe('5.00');
  });

  it('an upheld appeal on a violation voids it: the streak runs from the start again and its milestones are paid', async () => {
    const s = await scene(current());
    await setJoined(s.t.db, s.driver.id, new Date('2026-01-01T00:00:00Z'));
    const eventId = await s.violation();
    expect(await available(s.t.db, s.driver.id)).toBe('0.00'); // the streak restarted on 15 May: 17 days
    const filed = await s.appeal('safety_event', eventId, s.driver.token, 'The camera read another truck’s plate.');
    expect(filed.status, filed.text).toBe(201);
    expect(filed.json.subject).toMatchObject({ status: 'standing', summary: 'violation (minor) on 2026-05-15' });

    const decided = await s.decide(filed.json.id, 'upheld');
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json).toMatchObject({ status: 'upheld', subject: { status: 'voided' }, payment: null });
    const [event] = await s.t.db.select().from(safetyEvents).where(eq(safetyEvents.id, eventId));
    expect(event!.voidedAt?.toISOString()).toBe(s.t.clock.now().toISOString());
    // 1 Jan → 1 Jun is 151 days: +20 at days 30, 60, 90, 120, 150 and +100 at day 100
    expect((await milestonesOf(s.t.db, s.driver.id)).map((m) => [m.source, m.points])).toEqual([
      ['safety_streak', '20.00'],
      ['safety_streak', '20.00'],
      ['safety_streak', '20.00'],
      ['safety_challenge', '100.00'],
      ['safety_streak', '20.00'],
      ['safety_streak', '20.00'],
    ]);
    expect(await available(s.t.db, s.driver.id)).toBe('200.00');
    const [message] = await s.inboxOf(s.driver.id);
    expect(message!.title).toBe('Your appeal on a safety event was upheld');
    // a voided event cannot be appealed again
    expectProblem(await s.appeal('safety_event', eventId), 422, 'not_appealable');
  });

  it('a dismissed appeal changes nothing but is told to the driver, who may appeal again', async () => {
    const s = await scene(current());
    const claimId = await s.rejectedClaim();
    const filed = await s.appeal('volunteer_claim', claimId);
    const decided = await s.decide(filed.json.id, 'dismissed', s.committee.token, 'The organiser has no record of you.');
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json).toMatchObject({ status: 'dismissed', subject: { status: 'rejected' }, payment: null });
    expect(await available(s.t.db, s.driver.id)).toBe('0.00');
    const [message] = await s.inboxOf(s.driver.id);
    expect(message).toMatchObject({ title: 'Your appeal on a volunteering claim was dismissed' });
    expect(message!.body).toContain('The organiser has no record of you.');
    expect((await s.appeal('volunteer_claim', claimId)).status).toBe(201);
  });

  it('a second appeal while one is open is a 409', async () => {
    const s = await scene(current());
    const claimId = await s.rejectedClaim();
    expect((await s.appeal('volunteer_claim', claimId)).status).toBe(201);
    expectProblem(await s.appeal('volunteer_claim', claimId), 409, 'appeal_open');
    expect(await s.t.db.select().from(appeals).where(eq(appeals.subjectId, claimId))).toHaveLength(1);
  });

  it('what cannot be appealed is a 422: a claim not rejected, a report still open, a passed inspection', async () => {
    const s = await scene(current());
    const pending = await submitClaim(s.t.db, s.t.clock, s.driver.id, { event: 'Convoy', date: '2026-05-20', hours: '2' });
    expect(expectProblem(await s.appeal('volunteer_claim', pending.id), 422, 'not_appealable').detail).toContain('submitted');
    const open = await fileReport(s.t.db, s.t.clock, s.driver.id, { photo: png(), ...HERE, category: 'sanitation', note: 'rubbish' });
    expectProblem(await s.appeal('grid_report', open.id), 422, 'not_appealable');
    const inspection = await s.violation(s.driver.id, new Date('2026-05-01T02:00:00Z'), 'inspection_passed');
    expectProblem(await s.appeal('safety_event', inspection), 422, 'not_appealable');
    expect(await s.t.db.select().from(appeals)).toEqual([]);
  });

  it.each([
    ['an unknown subject type', { subjectType: 'rating' }, 'subjectType'],
    ['a subject id that is not a UUID', { subjectId: 'claim-1' }, 'subjectId'],
    ['a reason too short', { reason: 'no' }, 'reason'],
    ['no reason', { reason: undefined }, 'reason'],
  ])('%s is a 400 naming the field', async (_name, change, field) => {
    const s = await scene(current());
    const claimId = await s.rejectedClaim();
    const res = await s.t.call('POST', '/api/appeals', { token: s.driver.token, body: { subjectType: 'volunteer_claim', subjectId: claimId, reason: 'Please look again at this.', ...change } });
    expect(expectProblem(res, 400, 'validation_failed').errors?.map((e) => e.path)).toContain(field);
  });

  it('a decision needs a known decision and a note', async () => {
    const s = await scene(current());
    const filed = await s.appeal('volunteer_claim', await s.rejectedClaim());
    expectProblem(await s.t.call('POST', `/api/appeals/${filed.json.id}/decide`, { token: s.committee.token, body: { decision: 'approved', note: 'ok then' } }), 400);
    expectProblem(await s.t.call('POST', `/api/appeals/${filed.json.id}/decide`, { token: s.committee.token, body: { decision: 'upheld' } }), 400);
    expectProblem(await s.decide('00000000-0000-4000-8000-00000000beef', 'upheld'), 404, 'appeal_not_found');
    expect(await available(s.t.db, s.driver.id)).toBe('0.00');
  });

  it("a driver cannot appeal another driver's claim, report or event (404), nor decide (403)", async () => {
    const s = await scene(current());
    const theirClaim = await s.rejectedClaim(s.other.id);
    const theirReport = await s.rejectedReport(s.other.id);
    const theirEvent = await s.violation(s.other.id);
    expectProblem(await s.appeal('volunteer_claim', theirClaim), 404, 'not_found');
    expectProblem(await s.appeal('grid_report', theirReport), 404, 'not_found');
    expectProblem(await s.appeal('safety_event', theirEvent), 404, 'not_found');
    expectProblem(await s.appeal('volunteer_claim', '00000000-0000-4000-8000-00000000beef'), 404, 'not_found');

    const own = await s.appeal('volunteer_claim', await s.rejectedClaim());
    expectProblem(await s.decide(own.json.id, 'upheld', s.driver.token), 403, 'forbidden');
    expectProblem(await s.appeal('volunteer_claim', theirClaim, s.committee.token), 403, 'forbidden');
    expectProblem(await s.t.call('GET', '/api/appeals'), 401, 'unauthenticated');
    expect(await available(s.t.db, s.driver.id)).toBe('0.00');
    const [row] = await s.t.db.select().from(appeals).where(eq(appeals.id, own.json.id));
    expect(row!.status).toBe('open');
  });

  it('drivers list their own appeals; the committee works the open queue oldest first, by page, and can filter', async () => {
    const s = await scene(current());
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      mine.push((await s.appeal('volunteer_claim', await s.rejectedClaim())).json.id);
      s.t.clock.advance(60_000);
    }
    const theirs = (await s.appeal('volunteer_claim', await s.rejectedClaim(s.other.id), s.other.token)).json.id;
    await s.decide(mine[1]!, 'dismissed');

    const own = await s.t.call('GET', '/api/appeals', { token: s.driver.token });
    expect(own.json.items.map((a: { id: string }) => a.id)).toEqual([mine[2], mine[1], mine[0]]);
    expect(own.json.items.every((a: { driver: { id: string } }) => a.driver.id === s.driver.id)).toBe(true);

    const page1 = await s.t.call('GET', '/api/appeals?limit=2', { token: s.committee.token });
    expect(page1.json.items.map((a: { id: string }) => a.id)).toEqual([mine[0], mine[2]]);
    const page2 = await s.t.call('GET', `/api/appeals?limit=2&cursor=${page1.json.nextCursor}`, { token: s.committee.token });
    expect(page2.json.items.map((a: { id: string }) => a.id)).toEqual([theirs]);
    expect(page2.json.nextCursor).toBeNull();
    const dismissed = await s.t.call('GET', '/api/appeals?status=dismissed', { token: s.committee.token });
    expect(dismissed.json.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[mine[1], 'dismissed']]);
    expect((await s.t.call('GET', '/api/appeals?status=all', { token: s.committee.token })).json.items).toHaveLength(4);
    expectProblem(await s.t.call('GET', '/api/appeals?cursor=garbage', { token: s.committee.token }), 400, 'validation_failed');
  });
});
