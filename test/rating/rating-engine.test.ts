// The engine on both databases: thresholds, gates and the window edge through the set-based full
// re-grade AND the one-driver re-grade, history, notices, policy versions and the daily job.

import { eq, sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { FakeClock } from '../../api/clock';
import { onDriverActivity, regradeAll, regradeDriver, runScheduledRegrade } from '../../api/rating/engine';
import { createPolicyVersion } from '../../api/rating/policies';
import { DEFAULT_POLICY, type RatingPolicy } from '../../api/rating/policy';
import { queryRows, type Db } from '../../db/client';
import { sqlState } from '../../db/errors';
import { notifications, ratingRuns, type Grade } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { addDriver, addHours, addReport, addReports, addSafety, allRatings, countRows, daysBefore, historyRows, storedRating } from './rating-support';

/** Noon in Shanghai. */
const T = new Date('2026-06-20T04:00:00.000Z');
const TODAY = '2026-06-20';

interface Case {
  name: string;
  grade: Grade;
  score: string;
  joinedDaysAgo?: number;
  build?: (db: Db, id: string) => Promise<void>;
}

/** Ten verified reports and `hours` approved hours, all well inside the window. */
const active = (hours: string, reports = 10) => async (db: Db, id: string) => {
  await addReports(db, id, reports, daysBefore(T, 30));
  if (hours !== '0') await addHours(db, id, hours, '2026-05-01');
};

const defaultCases: Case[] = [
  { name: 'clean record, nothing else: B at 50', grade: 'B', score: '50.00' },
  { name: 'B at 54.98 (3.32 h)', grade: 'B', score: '54.98', build: (db, id) => addHours(db, id, '3.32', '2026-05-01') },
  { name: 'A at 55.00 (3.33 h, half-up)', grade: 'A', score: '55.00', build: (db, id) => addHours(db, id, '3.33', '2026-05-01') },
  { name: 'A at 69.98', grade: 'A', score: '69.98', build: active('1.32', 9) },
  { name: 'AA at 70.00', grade: 'AA', score: '70.00', build: active('1.33', 9) },
  { name: 'AA at 84.99', grade: 'AA', score: '84.99', build: active('9.99') },
  { name: 'AAA at 85.00', grade: 'AAA', score: '85.00', build: active('10') },
  { name: 'caps: 30 h and 15 reports are full marks', grade: 'AAA', score: '100.00', build: active('24', 15) },
  {
    name: 'streak of exactly 100 days since a minor violation: AAA',
    grade: 'AAA',
    score: '95.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'minor', daysBefore(T, 100));
    },
  },
  {
    name: 'streak of 99 days since a minor violation: AA',
    grade: 'AA',
    score: '95.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'minor', daysBefore(T, 99));
    },
  },
  { name: 'joined 99 days ago, perfect record: the streak gate keeps AA', grade: 'AA', score: '100.00', joinedDaysAgo: 99, build: active('20') },
  {
    name: 'a major violation in the window: 85 is still AA',
    grade: 'AA',
    score: '85.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'major', daysBefore(T, 200));
    },
  },
  {
    name: 'a voided major violation counts for nothing',
    grade: 'AAA',
    score: '100.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'major', daysBefore(T, 50), { voidedAt: daysBefore(T, 10) });
    },
  },
  {
    name: 'window edge: an accident 365 days ago counts',
    grade: 'AA',
    score: '80.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'at_fault_minor', daysBefore(T, 365));
    },
  },
  {
    name: 'window edge: an accident 366 days ago does not',
    grade: 'AAA',
    score: '100.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'at_fault_minor', daysBefore(T, 366));
    },
  },
  {
    name: 'a serious accident takes all 50 safety points',
    grade: 'B',
    score: '50.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'serious', daysBefore(T, 20));
    },
  },
  {
    name: 'passed inspections neither add nor take',
    grade: 'AAA',
    score: '100.00',
    build: async (db, id) => {
      await active('20')(db, id);
      await addSafety(db, id, 'inspection_passed', daysBefore(T, 5));
    },
  },
  {
    name: 'only approved hours and verified reports count',
    grade: 'B',
    score: '50.00',
    build: async (db, id) => {
      await addHours(db, id, '10', '2026-05-01', 'submitted');
      await addHours(db, id, '10', '2026-05-01', 'rejected');
      for (const status of ['submitted', 'rejected', 'duplicate'] as const) await addReport(db, id, status, null);
    },
  },
  {
    name: 'forwarded, resolved and closed reports were verified and count',
    grade: 'A',
    score: '56.00',
    build: async (db, id) => {
      for (const status of ['forwarded', 'resolved', 'closed'] as const) await addReport(db, id, status, daysBefore(T, 3));
    },
  },
  {
    name: 'hours dated 366 days back and reports verified 366 days ago are out of the window',
    grade: 'A',
    score: '58.00',
    build: async (db, id) => {
      await addHours(db, id, '3', '2025-06-19'); // 366 local days back
      await addHours(db, id, '3', '2025-06-20'); // 365: counts
      await addReport(db, id, 'verified', daysBefore(T, 366));
      await addReport(db, id, 'verified', daysBefore(T, 365)); // counts (2)
      await addHours(db, id, '1', TODAY);
    },
  },
];

/** Deductions off, so only the gates bite; AA also allows at most 1 minor violation. */
const gatesOnly: RatingPolicy = {
  ...DEFAULT_POLICY,
  safety: { weight: '50', deductions: { minorViolation: '0', majorViolation: '0', atFaultAccident: '0', seriousAccident: '0' } },
  grades: { ...DEFAULT_POLICY.grades, AA: { minScore: '70', maxSeriousAccidents: 0, maxMinorViolations: 1 } },
};
const perfectWith = (severity: 'minor' | 'major' | 'at_fault_minor' | 'serious', n = 1) => async (db: Db, id: string) => {
  await active('20')(db, id);
  for (let i = 0; i < n; i++) await addSafety(db, id, severity, daysBefore(T, 150 + i));
};
const gateCases: Case[] = [
  { name: 'gates only: perfect record is AAA', grade: 'AAA', score: '100.00', build: active('20') },
  { name: 'gates only: a major violation is AA', grade: 'AA', score: '100.00', build: perfectWith('major') },
  { name: 'gates only: an at-fault accident is AA', grade: 'AA', score: '100.00', build: perfectWith('at_fault_minor') },
  { name: 'gates only: a serious accident is A', grade: 'A', score: '100.00', build: perfectWith('serious') },
  { name: 'gates only: one minor violation is within AA’s gate (and AAA’s streak is 150 days)', grade: 'AAA', score: '100.00', build: perfectWith('minor') },
  { name: 'gates only: two minor violations fail AA’s gate', grade: 'A', score: '100.00', build: perfectWith('minor', 2) },
];

async function buildCases(db: Db, cases: Case[]) {
  const ids = new Map<string, Case>();
  for (const c of cases) {
    const id = await addDriver(db, daysBefore(T, c.joinedDaysAgo ?? 400), c.name);
    await c.build?.(db, id);
    ids.set(id, c);
  }
  return ids;
}

async function expectGrades(db: Db, ids: Map<string, Case>) {
  const seen = [];
  const want = [];
  for (const [id, c] of ids) {
    const r = await storedRating(db, id);
    seen.push({ name: c.name, grade: r?.grade, score: r?.score });
    want.push({ name: c.name, grade: c.grade, score: c.score });
  }
  expect(seen).toEqual(want);
}

describeEachBackend('rating engine', (current) => {
  it('every threshold, the window edge and what counts: full and one-driver re-grades agree', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const ids = await buildCases(db, defaultCases);

    const full = await regradeAll(db, clock);
    expect(full).toMatchObject({ policyVersion: 1, drivers: defaultCases.length, changed: defaultCases.length, history: defaultCases.length });
    await expectGrades(db, ids);
    const afterFull = await allRatings(db);

    for (const id of ids.keys()) {
      const one = await regradeDriver(db, clock, id);
      expect(one!.changed, ids.get(id)!.name).toBe(false);
      expect([one!.scored.grade, one!.scored.score.toFixed(2)]).toEqual([ids.get(id)!.grade, ids.get(id)!.score]);
    }
    expect(await allRatings(db)).toEqual(afterFull);
    expect(await countRows(db, 'rating_history')).toBe(defaultCases.length);
  });

  it('every gate on its own (a policy with no deductions), one driver at a time first, then everyone', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    await createPolicyVersion(db, clock, null, { policy: gatesOnly });
    const ids = await buildCases(db, gateCases);
    for (const id of ids.keys()) await regradeDriver(db, clock, id);
    await expectGrades(db, ids);
    const full = await regradeAll(db, clock);
    expect(full!.changed).toBe(0);
  });

  it('a batch of drivers (bulk paths) is re-graded set-based, the same as everyone at once', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const ids = await buildCases(db, defaultCases);
    const untouched = await addDriver(db, daysBefore(T, 10));
    await onDriverActivity(db, clock, [...ids.keys(), ...ids.keys()]);
    await expectGrades(db, ids);
    expect(await storedRating(db, untouched)).toBeNull();
    const full = await regradeAll(db, clock);
    expect(full).toMatchObject({ drivers: defaultCases.length + 1, changed: 1 });
  });

  it('history on every grade or score change, a notice on grade changes only, nothing written when nothing changed', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const id = await addDriver(db, daysBefore(T, 400));
    await regradeDriver(db, clock, id);
    await addHours(db, id, '4', '2026-06-01'); // +6: 56 → A
    await regradeDriver(db, clock, id);
    await addReport(db, id, 'verified', T); // +2: 58, still A
    await regradeDriver(db, clock, id);
    await regradeDriver(db, clock, id); // nothing new
    await regradeAll(db, clock); // nothing new either

    const history = await historyRows(db, id);
    expect(history.map((h) => [h.previousGrade, h.grade, h.previousScore, h.score, h.cause])).toEqual([
      [null, 'B', null, '50.00', 'activity'],
      ['B', 'A', '50.00', '56.00', 'activity'],
      ['A', 'A', '56.00', '58.00', 'activity'],
    ]);
    expect(history[2]).toMatchObject({ volunteerHours: '4.00', verifiedReports: 1, volunteeringPoints: '6.00', reportingPoints: '2.00', safetyPoints: '50.00' });
    const notes = await db.select().from(notifications).where(eq(notifications.userId, id));
    expect(notes.map((n) => [n.kind, n.title, n.body])).toEqual([
      ['rating_changed', 'Your credit rating is now A', 'Up from B: your score is 56.00 out of 100. See your rating for the breakdown and what the next grade needs.'],
    ]);
    expect(notes[0]!.data).toMatchObject({ grade: 'A', previousGrade: 'B', score: '56.00', policyVersion: 1 });
  });

  it('a new policy version re-grades everyone at once with a new history entry; old entries keep version 1', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const id = await addDriver(db, daysBefore(T, 400));
    await active('20')(db, id);
    await regradeAll(db, clock);
    clock.advance(60_000);
    const stricter: RatingPolicy = { ...DEFAULT_POLICY, grades: { ...DEFAULT_POLICY.grades, AAA: { ...DEFAULT_POLICY.grades.AAA, minScore: '100' } } };
    const created = await createPolicyVersion(db, clock, null, { policy: stricter, note: 'AAA needs full marks' });
    expect(created.version.version).toBe(2);
    expect(created.regrade).toMatchObject({ policyVersion: 2, drivers: 1, changed: 1, history: 1, gradeChanges: 0 });

    const history = await db.execute(
      sql`select h.grade, h.score::text as score, v.version, h.cause from rating_history h join rating_policy_versions v on v.id = h.policy_version_id
           where h.driver_id = ${id} order by h.rated_at, h.recorded_at`,
    );
    const rows = Array.isArray(history) ? history : (history as { rows: unknown[] }).rows;
    expect(rows).toEqual([
      { grade: 'AAA', score: '100.00', version: 1, cause: 'recompute' },
      { grade: 'AAA', score: '100.00', version: 2, cause: 'policy' },
    ]);
    // History rows and policy versions are append-only.
    const refused = async (query: Promise<unknown>) => sqlState(await query.then(() => null, (e: unknown) => e));
    expect(await refused(db.execute(sql`update rating_history set grade = 'B' where driver_id = ${id}`))).toBe('23000');
    expect(await refused(db.execute(sql`delete from rating_policy_versions where version = 1`))).toBe('23000');
  });

  it('a policy that takes effect later is applied by the scheduled re-grade once it is in force', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const id = await addDriver(db, daysBefore(T, 400));
    await addHours(db, id, '4', '2026-06-01'); // 56: A under v1
    expect((await runScheduledRegrade(db, clock))!.drivers).toBe(1);
    expect(await runScheduledRegrade(db, clock)).toBeNull(); // once per local day

    const higherA: RatingPolicy = { ...DEFAULT_POLICY, grades: { ...DEFAULT_POLICY.grades, A: { minScore: '60' } } };
    const created = await createPolicyVersion(db, clock, null, { policy: higherA, effectiveFrom: new Date(T.getTime() + 3_600_000) });
    expect(created.regrade).toBeNull();
    expect(await runScheduledRegrade(db, clock)).toBeNull(); // not in force yet
    expect((await storedRating(db, id))!.grade).toBe('A');

    clock.advance(3_600_000);
    const run = await runScheduledRegrade(db, clock);
    expect(run).toMatchObject({ policyVersion: 2, gradeChanges: 1 });
    expect((await storedRating(db, id))!.grade).toBe('B');
    const runs = await db.select().from(ratingRuns).orderBy(ratingRuns.asOf);
    expect(runs.map((r) => [r.cause, r.localDate])).toEqual([
      ['daily', TODAY],
      ['policy', TODAY],
    ]);
    await expect(createPolicyVersion(db, clock, null, { policy: higherA, effectiveFrom: daysBefore(clock.now(), 1) })).rejects.toMatchObject({
      code: 'rating_policy_in_past',
    });
  });

  it('the next day’s run catches an accident leaving the window', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const id = await addDriver(db, daysBefore(T, 500));
    await active('20')(db, id);
    await addSafety(db, id, 'at_fault_minor', daysBefore(T, 364));
    await runScheduledRegrade(db, clock);
    expect((await storedRating(db, id))!.grade).toBe('AA');
    clock.advance(2 * 86_400_000);
    const run = await runScheduledRegrade(db, clock);
    expect(run).toMatchObject({ changed: 1, gradeChanges: 1 });
    expect((await storedRating(db, id))!.grade).toBe('AAA');
  });

  it('onDriverActivity grades the driver and never throws: a failure is logged', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const id = await addDriver(db, daysBefore(T, 400));
    await onDriverActivity(db, clock, id);
    expect((await storedRating(db, id))!.grade).toBe('B');
    const log = vi.fn();
    await expect(onDriverActivity(db, clock, 'not-a-uuid', log)).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ level: 'warn', drivers: 1, sample: ['not-a-uuid'] }));
    // a driver id that is no driver changes nothing
    expect(await regradeDriver(db, clock, '00000000-0000-4000-8000-000000000999')).toBeNull();
  });

  it('onDriverActivity for more than a thousand drivers at once (a big import) grades every one of them', async () => {
    const db = current().db;
    const clock = new FakeClock(T);
    const rows = await queryRows<{ id: string }>(db, sql`
      insert into users (role, phone, name, plate_number, password_hash, created_at)
      select 'driver', '1850' || lpad(g::text, 7, '0'), 'Bulk ' || g, '粤B·' || lpad(g::text, 5, '0'), 'not-a-hash', ${daysBefore(T, 30).toISOString()}::timestamptz
        from generate_series(1, 1001) g
      returning id`);
    const ids = rows.map((r) => r.id);
    expect(ids).toHaveLength(1001);
    const log = vi.fn();
    await onDriverActivity(db, clock, ids, log);
    expect(log).not.toHaveBeenCalled();
    const [graded] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from driver_ratings where driver_id in (select id from users where name like 'Bulk %')`);
    expect(graded!.n).toBe(1001);
  });
});
