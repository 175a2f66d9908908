// The same appeal upheld by several committee members at once, on separate connections: one
// decision wins, the others get 409 appeal-decided, and the claim (or report) is paid exactly
// once. Real PostgreSQL only.

import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser } from '../../api/auth/auth.service';
import { FakeClock } from '../../api/clock';
import { decideAppeal, fileAppeal } from '../../api/earning/appeals';
import { fileReport, transitionReport } from '../../api/earning/grid-reports';
import { rejectClaim, submitClaim } from '../../api/earning/volunteering';
import { AppError } from '../../api/errors';
import type { SessionUser } from '../../api/http/env';
import { queryRows } from '../../db/client';
import { appeals, earnings } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, expectSound, extraConnections, range } from '../ledger/race-support';
import { png } from './photos-fixtures';
import { available } from './safety-support';

let seq = 0;
async function person(db: Parameters<typeof createUser>[0], role: 'driver' | 'committee'): Promise<SessionUser> {
  const phone = `135${String(Date.now() % 1e5).padStart(5, '0')}${String(++seq).padStart(3, '0')}`;
  const user = await createUser(db, { role, phone, name: `${role} ${phone}`, password: 'a-long-test-password', plateNumber: role === 'driver' ? '粤B·R0001' : null });
  return { id: user.id, role, name: `${role} ${phone}`, phone, partnerId: null };
}

/** Each call's result: the decided appeal, or the problem code it was refused with. */
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : Promise.reject(e)));

describeEachBackend(
  'appeals: one appeal upheld by several committee members at once',
  (current) => {
    const more = extraConnections(current);

    it('10 concurrent upholds of a claim appeal → one decision, the hours paid once, 9 × appeal-decided', async () => {
      const db = current().db;
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const driver = await person(db, 'driver');
      const members = await Promise.all(range(3).map(() => person(db, 'committee')));
      const claim = await submitClaim(db, clock, driver.id, { event: 'Flood relief convoy', date: '2026-05-28', hours: '6' });
      await rejectClaim(db, clock, members[0]!, claim.id, 'no attendance sheet');
      const appeal = await fileAppeal(db, clock, driver, { subjectType: 'volunteer_claim', subjectId: claim.id, reason: 'The sheet was sent late; here it is.' });

      const pools = await more.pools(5, 2);
      const results = await allOutcomes(
        range(10).map((i) => outcome(decideAppeal(pools[i % 5]!.db, clock, members[i % 3]!, appeal.id, { decision: 'upheld', note: `upheld by ${i}` }))),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'appeal_decided')).toHaveLength(9);
      expect(await db.select().from(earnings).where(eq(earnings.sourceId, claim.id))).toHaveLength(1);
      expect(await available(db, driver.id)).toBe('60.00');
      const [row] = await db.select().from(appeals).where(eq(appeals.id, appeal.id));
      expect(row!.status).toBe('upheld');
      const audits = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'appeal.decide'`);
      expect(audits[0]!.n).toBe(1);
      const messages = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from notifications where kind = 'appeal_decided'`);
      expect(messages[0]!.n).toBe(1);
      await expectSound(db, clock.now());
    });

    it('an uphold racing a dismissal of a report appeal → exactly one wins; the report is paid only if upheld won', async () => {
      const db = current().db;
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const driver = await person(db, 'driver');
      const member = await person(db, 'committee');
      const report = await fileReport(db, clock, driver.id, { photo: png(), lat: '22.543096', lng: '114.057865', category: 'road_collapse', note: 'lane gone' });
      await transitionReport(db, clock, member.id, report.id, { to: 'rejected', reason: 'cannot see it' });
      const appeal = await fileAppeal(db, clock, driver, { subjectType: 'grid_report', subjectId: report.id, reason: 'Here is a clearer photo of it.' });

      const pools = await more.pools(2, 2);
      const results = await allOutcomes([
        outcome(decideAppeal(pools[0]!.db, clock, member, appeal.id, { decision: 'upheld', note: 'visible now' })),
        outcome(decideAppeal(pools[1]!.db, clock, member, appeal.id, { decision: 'dismissed', note: 'still unclear' })),
      ]);
      expect(results.sort()).toEqual(['appeal_decided', 'ok']);
      const [row] = await db.select().from(appeals).where(eq(appeals.id, appeal.id));
      const paid = await db.select().from(earnings).where(eq(earnings.sourceId, report.id));
      expect(paid).toHaveLength(row!.status === 'upheld' ? 1 : 0);
      expect(await available(db, driver.id)).toBe(row!.status === 'upheld' ? '10.00' : '0.00');
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
