import { desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { importSafetyEvents } from '../../api/earning/safety';
import { auditLog, safetyEvents } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { available, day, milestonesOf, safetyEventCount, setJoined, T0 } from './safety-support';

describeEachBackend('earning: safety events (happy paths)', (current) => {
  const setup = async () => {
    const t = testApp(current());
    t.clock.set(day(35));
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    await setJoined(t.db, driver.id, T0);
    return { t, committee, driver };
  };

  it('records a batch, answers per item, audits it, and pays the milestone the driver has reached', async () => {
    const { t, committee, driver } = await setup();
    const res = await t.call('POST', '/api/safety-events', {
      token: committee.token,
      body: {
        events: [
          { externalId: 'tp-1', driverId: driver.id, kind: 'inspection_passed', occurredAt: day(20).toISOString() },
          { externalId: 'tp-2', driverId: driver.id, kind: 'accident', severity: 'at_fault_minor', occurredAt: '2026-01-25T10:00:00+08:00', note: 'rear-ended at a toll gate' },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ created: 2, duplicates: 0, conflicts: 0, milestones: { paid: 1, points: '20.00' } });
    expect(res.json.items.map((i: any) => [i.index, i.externalId, i.status])).toEqual([
      [0, 'tp-1', 'created'],
      [1, 'tp-2', 'created'],
    ]);
    const stored = await t.db.select().from(safetyEvents).where(eq(safetyEvents.externalId, 'tp-2'));
    expect(stored[0]).toMatchObject({ id: res.json.items[1].id, driverId: driver.id, kind: 'accident', severity: 'at_fault_minor', note: 'rear-ended at a toll gate', recordedBy: committee.id });
    expect(stored[0]!.occurredAt.toISOString()).toBe('2026-01-25T02:00:00.000Z');
    // the milestone at day 30 was due when the events arrived
    expect(await available(t.db, driver.id)).toBe('20.00');
    const [entry] = await t.db.select().from(auditLog).orderBy(desc(auditLog.createdAt)).limit(1);
    expect(entry).toMatchObject({ actorId: committee.id, action: 'safety_events.record' });
    expect(entry!.after).toMatchObject({ created: 2, duplicates: 0, conflicts: 0, milestonesPaid: 1 });
  });

  it('re-posting an externalId is a no-op for that item: duplicate when the same, conflict when different', async () => {
    const { t, committee, driver } = await setup();
    const first = { externalId: 'dup-1', driverId: driver.id, kind: 'violation', severity: 'minor', occurredAt: day(10).toISOString() };
    expect((await t.call('POST', '/api/safety-events', { token: committee.token, body: { events: [first] } })).status).toBe(201);
    const res = await t.call('POST', '/api/safety-events', {
      token: committee.token,
      body: {
        events: [
          first,
          { ...first, externalId: 'dup-2', occurredAt: day(12).toISOString() },
          { ...first, severity: 'major' },
          { ...first, externalId: 'dup-2', occurredAt: day(12).toISOString() },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ created: 1, duplicates: 2, conflicts: 1 });
    expect(res.json.items.map((i: any) => i.status)).toEqual(['duplicate', 'created', 'conflict', 'duplicate']);
    expect(res.json.items[2].detail).toMatch(/severity/);
    expect(res.json.items[0].id).toBe(res.json.items[2].id);
    const stored = await t.db.select().from(safetyEvents).where(eq(safetyEvents.externalId, 'dup-1'));
    expect(stored.map((e) => e.severity)).toEqual(['minor']);
    expect(await safetyEventCount(t.db)).toBe(2);

    const again = await t.call('POST', '/api/safety-events', { token: committee.token, body: { events: [first] } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ created: 0, duplicates: 1, conflicts: 0 });
  });

  it('an integration account may post; the committee lists everything, filtered and page by page', async () => {
    const { t, committee, driver } = await setup();
    const integration = await t.signedIn('integration');
    const other = await t.signedIn('driver');
    const events = Array.from({ length: 7 }, (_, i) => ({
      externalId: `feed-${i}`,
      driverId: i % 2 === 0 ? driver.id : other.id,
      kind: i < 5 ? 'inspection_passed' : 'violation',
      ...(i < 5 ? {} : { severity: 'major' }),
      occurredAt: day(1 + i).toISOString(),
    }));
    const posted = await t.call('POST', '/api/safety-events', { token: integration.token, body: { events } });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json.created).toBe(7);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.call('GET', `/api/safety-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: committee.token });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.json.items.map((e: any) => e.externalId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['feed-6', 'feed-5', 'feed-4', 'feed-3', 'feed-2', 'feed-1', 'feed-0']);

    const mine = await t.call('GET', `/api/safety-events?driverId=${driver.id}&kind=inspection_passed`, { token: committee.token });
    expect(mine.json.items.map((e: any) => e.externalId)).toEqual(['feed-4', 'feed-2', 'feed-0']);
    expect(mine.json.items[0]).toMatchObject({ driverId: driver.id, kind: 'inspection_passed', severity: null, voidedAt: null });
  });

  it('the bulk import writes in chunks (in parallel on PostgreSQL) and still tells repeats from conflicts', async () => {
    const { t, driver } = await setup();
    const rows = Array.from({ length: 8 }, (_, i) => ({ externalId: `chunk-${i}`, driverId: driver.id, kind: 'inspection_passed' as const, occurredAt: day(i + 1) }));
    rows.push({ ...rows[0]! }, { ...rows[1]!, occurredAt: day(30) });
    const outcome = await importSafetyEvents(t.db, rows, { now: t.clock.now(), chunkSize: 3 });
    expect(outcome).toEqual({ rows: 10, created: 8, duplicates: 1, conflicts: 1 });
    expect(await safetyEventCount(t.db)).toBe(8);
    const [stored] = await t.db.select().from(safetyEvents).where(eq(safetyEvents.externalId, 'chunk-1'));
    expect(stored!.occurredAt).toEqual(day(2));
  });

  it('GET /me/safety: streak days, the next milestone and when, and recent records', async () => {
    const { t, committee, driver } = await setup();
    await t.call('POST', '/api/safety-events', {
      token: committee.token,
      body: { events: [{ externalId: 'me-v', driverId: driver.id, kind: 'violation', severity: 'minor', occurredAt: day(33).toISOString() }] },
    });
    const res = await t.call('GET', '/api/me/safety', { token: driver.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      streak: { startedAt: day(33).toISOString(), days: 2 },
      next: { rule: 'safety_streak', at: day(63).toISOString(), inDays: 28, streakDays: 30, points: '20' },
      challenge: { days: 100, completedAt: null },
    });
    expect(res.json.recentEvents.map((e: any) => e.externalId)).toEqual(['me-v']);
    expect(await milestonesOf(t.db, driver.id)).toEqual([]);
  });
});
