// Safety milestones: +20 for every 30 days without a violation, +100 once per streak at 100 days
// (the DESIGN §5 defaults), evaluated from the fake clock by the daily pass and on new events.

import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { ruleVersionAt } from '../../api/earning/earn';
import { currentStreak, dueMilestones, evaluateMilestones } from '../../api/earning/milestones';
import { importSafetyEvents } from '../../api/earning/safety';
import { verify } from '../../api/ledger/reads';
import { rewardRuleVersions, safetyEvents } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { available, day, joinedDriver, milestonesOf, T0, violation } from './safety-support';

describeEachBackend('earning: safety milestones', (current) => {
  const setup = async () => {
    const db = current().db;
    const clock = new FakeClock(T0);
    const driver = await joinedDriver(db);
    return { db, clock, driver };
  };

  it('pays nothing at day 29, the first +20 at day 30 (reached then), the second at day 60', async () => {
    const { db, clock, driver } = await setup();
    clock.set(new Date(day(30).getTime() - 1));
    expect(await evaluateMilestones(db, clock)).toMatchObject({ ran: true, due: 0, paid: 0 });
    expect(await available(db, driver.id)).toBe('0.00');

    clock.set(day(30));
    const first = await evaluateMilestones(db, clock);
    expect(first).toMatchObject({ ran: true, due: 1, paid: 1, drivers: 1 });
    expect(first.points.toFixed(2)).toBe('20.00');
    expect(await milestonesOf(db, driver.id)).toEqual([
      expect.objectContaining({ source: 'safety_streak', sourceId: `${driver.id}:${T0.toISOString()}:1`, points: '20.00', activityAt: day(30).toISOString() }),
    ]);

    clock.set(day(59));
    expect((await evaluateMilestones(db, clock)).paid).toBe(0);
    clock.set(day(60));
    expect((await evaluateMilestones(db, clock)).paid).toBe(1);
    expect(await available(db, driver.id)).toBe('40.00');
    expect((await milestonesOf(db, driver.id)).map((m) => m.sourceId)).toEqual([
      `${driver.id}:${T0.toISOString()}:1`,
      `${driver.id}:${T0.toISOString()}:2`,
    ]);
    expect((await verify(db, clock.now())).ok).toBe(true);
  });

  it('a first pass long after the start catches up every milestone reached, each at its own moment', async () => {
    const { db, clock, driver } = await setup();
    clock.set(day(125));
    const pass = await evaluateMilestones(db, clock);
    expect(pass).toMatchObject({ paid: 5 });
    expect(pass.points.toFixed(2)).toBe('180.00');
    expect((await milestonesOf(db, driver.id)).map((m) => [m.source, m.activityAt, m.points])).toEqual([
      ['safety_streak', day(30).toISOString(), '20.00'],
      ['safety_streak', day(60).toISOString(), '20.00'],
      ['safety_streak', day(90).toISOString(), '20.00'],
      ['safety_challenge', day(100).toISOString(), '100.00'],
      ['safety_streak', day(120).toISOString(), '20.00'],
    ]);
  });

  it('the 100-day challenge pays exactly once per streak, at day 100', async () => {
    const { db, clock, driver } = await setup();
    clock.set(day(99));
    await evaluateMilestones(db, clock);
    expect((await milestonesOf(db, driver.id)).filter((m) => m.source === 'safety_challenge')).toHaveLength(0);
    clock.set(day(100));
    await evaluateMilestones(db, clock);
    clock.set(day(200));
    await evaluateMilestones(db, clock);
    clock.set(day(400));
    await evaluateMilestones(db, clock);
    const challenges = (await milestonesOf(db, driver.id)).filter((m) => m.source === 'safety_challenge');
    expect(challenges).toEqual([expect.objectContaining({ sourceId: `${driver.id}:${T0.toISOString()}`, activityAt: day(100).toISOString(), points: '100.00' })]);
    // 13 streak milestones by day 400 (30, 60, …, 390) and one challenge
    expect(await available(db, driver.id)).toBe('360.00');
  });

  it('a violation restarts the streak: the next milestone is 30 days after it, under a new sourceId', async () => {
    const { db, clock, driver } = await setup();
    clock.set(day(30));
    await evaluateMilestones(db, clock);
    await importSafetyEvents(db, [violation(driver.id, day(40))], { now: day(45) });
    clock.set(day(45));
    expect(await currentStreak(db, driver.id, clock.now())).toEqual({ startedAt: day(40), days: 5 });

    clock.set(day(69));
    expect((await evaluateMilestones(db, clock)).paid).toBe(0); // the old streak's day 60 never came
    clock.set(day(70));
    expect((await evaluateMilestones(db, clock)).paid).toBe(1);
    expect((await milestonesOf(db, driver.id)).map((m) => [m.sourceId, m.activityAt])).toEqual([
      [`${driver.id}:${T0.toISOString()}:1`, day(30).toISOString()],
      [`${driver.id}:${day(40).toISOString()}:1`, day(70).toISOString()],
    ]);
  });

  it('voiding the violation (upheld appeal) restores the streak: its missed milestones are paid', async () => {
    const { db, clock, driver } = await setup();
    clock.set(day(30));
    await evaluateMilestones(db, clock);
    await importSafetyEvents(db, [violation(driver.id, day(40), 'v-appealed')], { now: day(41) });
    clock.set(day(70));
    await evaluateMilestones(db, clock);
    expect((await milestonesOf(db, driver.id)).map((m) => m.sourceId)).toEqual([
      `${driver.id}:${T0.toISOString()}:1`, // day 30, before the violation
      `${driver.id}:${day(40).toISOString()}:1`, // day 70, the new streak
    ]);

    await db.update(safetyEvents).set({ voidedAt: day(70) }).where(eq(safetyEvents.externalId, 'v-appealed'));
    expect((await currentStreak(db, driver.id, clock.now())).startedAt).toEqual(T0);
    const pass = await evaluateMilestones(db, clock);
    expect(pass.paid).toBe(1); // day 60 of the original streak
    expect((await milestonesOf(db, driver.id)).map((m) => m.sourceId)).toContain(`${driver.id}:${T0.toISOString()}:2`);
    expect(await available(db, driver.id)).toBe('60.00');
  });

  it('accidents and passed inspections do not break the streak; a voided violation never did', async () => {
    const { db, clock, driver } = await setup();
    await importSafetyEvents(
      db,
      [
        { externalId: 'acc-1', driverId: driver.id, kind: 'accident', severity: 'at_fault_minor', occurredAt: day(10) },
        { externalId: 'insp-1', driverId: driver.id, kind: 'inspection_passed', occurredAt: day(20) },
        violation(driver.id, day(25), 'v-void'),
      ],
      { now: day(26) },
    );
    await db.update(safetyEvents).set({ voidedAt: day(26) }).where(eq(safetyEvents.externalId, 'v-void'));
    clock.set(day(30));
    expect(await currentStreak(db, driver.id, clock.now())).toEqual({ startedAt: T0, days: 30 });
    expect((await evaluateMilestones(db, clock)).paid).toBe(1);
  });

  it('re-running the daily pass pays nothing twice', async () => {
    const { db, clock, driver } = await setup();
    const other = await joinedDriver(db, day(5));
    clock.set(day(130));
    const first = await evaluateMilestones(db, clock);
    expect(first.paid).toBe(10); // each: 4 streak milestones (30 … 120 days) and the challenge
    expect(first.drivers).toBe(2);
    const again = await evaluateMilestones(db, clock);
    expect(again).toMatchObject({ ran: true, due: 0, paid: 0 });
    expect(await dueMilestones(db, clock.now())).toEqual([]);
    expect([await available(db, driver.id), await available(db, other.id)]).toEqual(['180.00', '180.00']);
    expect((await verify(db, clock.now())).ok).toBe(true);
  });

  it('each milestone is paid under the rule version in force when it was reached; a disabled version pays nothing', async () => {
    const { db, clock, driver } = await setup();
    const v1 = (await ruleVersionAt(db, 'safety_streak', T0))!;
    // day 50: +35 per milestone; day 80–95: switched off; day 95 on: +25
    const [v2] = await db.insert(rewardRuleVersions).values({ ruleId: v1.ruleId, version: 2, effectiveFrom: day(50), terms: { points: '35', unit: 'milestone', everyDays: 30 } }).returning();
    await db.insert(rewardRuleVersions).values({ ruleId: v1.ruleId, version: 3, effectiveFrom: day(80), enabled: false, terms: { points: '35', unit: 'milestone', everyDays: 30 } });
    const [v4] = await db.insert(rewardRuleVersions).values({ ruleId: v1.ruleId, version: 4, effectiveFrom: day(95), terms: { points: '25', unit: 'milestone', everyDays: 30 } }).returning();
    clock.set(day(150));
    await evaluateMilestones(db, clock);
    const streak = (await milestonesOf(db, driver.id)).filter((m) => m.source === 'safety_streak');
    expect(streak.map((m) => [m.activityAt, m.points, m.ruleVersionId])).toEqual([
      [day(30).toISOString(), '20.00', v1.id],
      [day(60).toISOString(), '35.00', v2!.id],
      // day 90 fell while the rule was off: never due
      [day(120).toISOString(), '25.00', v4!.id],
      [day(150).toISOString(), '25.00', v4!.id],
    ]);
    expect(await dueMilestones(db, clock.now())).toEqual([]);
  });

  it('evaluating a list of drivers leaves the others to the daily pass', async () => {
    const { db, clock, driver } = await setup();
    const other = await joinedDriver(db);
    clock.set(day(31));
    const pass = await evaluateMilestones(db, clock, [driver.id]);
    expect(pass).toMatchObject({ paid: 1, drivers: 1 });
    expect(await available(db, other.id)).toBe('0.00');
    expect((await dueMilestones(db, clock.now())).map((m) => m.driverId)).toEqual([other.id]);
  });

  it('a driver who joined after a violation on record starts the streak when they joined', async () => {
    const { db, clock } = await setup();
    const late = await joinedDriver(db, day(50));
    await importSafetyEvents(db, [violation(late.id, day(10))], { now: day(51) });
    clock.set(day(80));
    expect(await currentStreak(db, late.id, clock.now())).toEqual({ startedAt: day(50), days: 30 });
    const due = await dueMilestones(db, clock.now(), [late.id]);
    expect(due.map((m) => [m.sourceId, m.reachedAt.toISOString()])).toEqual([[`${late.id}:${day(50).toISOString()}:1`, day(80).toISOString()]]);
  });
});
