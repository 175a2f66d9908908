import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { importSafetyEvents } from '../../api/earning/safety';
import { AppError } from '../../api/errors';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { available, day, safetyEventCount, setJoined, T0 } from './safety-support';

describeEachBackend('earning: safety events (errors)', (current) => {
  const setup = async () => {
    const t = testApp(current());
    t.clock.set(day(35));
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    await setJoined(t.db, driver.id, T0);
    const ok = (i: number) => ({ externalId: `ok-${i}`, driverId: driver.id, kind: 'inspection_passed', occurredAt: day(i).toISOString() });
    const post = (events: unknown[]) => t.call('POST', '/api/safety-events', { token: committee.token, body: { events } });
    return { t, committee, driver, ok, post };
  };

  it('an unknown driver in item 2 refuses the whole batch (422 naming the item) and stores nothing', async () => {
    const { t, driver, ok, post } = await setup();
    const ghost = randomUUID();
    const res = await post([ok(1), ok(2), { ...ok(3), driverId: ghost }]);
    const problem = expectProblem(res, 422, 'safety_event_invalid');
    expect(problem.detail).toMatch(/^item 2: no driver/);
    expect(problem.errors).toEqual([{ path: 'events.2.driverId', message: `no driver ${ghost}` }]);
    expect(await safetyEventCount(t.db)).toBe(0);
    // nothing paid either, though a milestone was due
    expect(await available(t.db, driver.id)).toBe('0.00');
  });

  it('a severity that does not fit the kind, a future date, a non-driver: each named, nothing stored', async () => {
    const { t, committee, ok, post } = await setup();
    const res = await post([
      ok(1),
      { ...ok(2), kind: 'violation' },
      { ...ok(3), severity: 'minor' },
      { ...ok(4), kind: 'accident', severity: 'minor' },
      { ...ok(5), occurredAt: day(36).toISOString() },
      { ...ok(6), driverId: committee.id },
    ]);
    const problem = expectProblem(res, 422, 'safety_event_invalid');
    expect(problem.errors!.map((e) => e.path)).toEqual(['events.1.severity', 'events.2.severity', 'events.3.severity', 'events.4.occurredAt', 'events.5.driverId']);
    expect(problem.errors![2]!.message).toMatch(/at_fault_minor or serious/);
    expect(await safetyEventCount(t.db)).toBe(0);
  });

  it('malformed items are a 400 naming the item and field; nothing stored', async () => {
    const { t, ok, post } = await setup();
    const res = await post([ok(1), { ...ok(2), kind: 'speeding' }, { ...ok(3), driverId: 'not-a-uuid' }, { ...ok(4), occurredAt: 'yesterday' }, { ...ok(5), externalId: '' }]);
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['events.1.kind', 'events.2.driverId', 'events.3.occurredAt', 'events.4.externalId']);
    expect(await safetyEventCount(t.db)).toBe(0);
  });

  it('an empty batch and a batch over 5,000 are refused', async () => {
    const { t, ok, post } = await setup();
    expectProblem(await post([]), 400, 'validation_failed');
    const big = Array.from({ length: 5001 }, (_, i) => ({ ...ok(1), externalId: `big-${i}` }));
    const res = await post(big);
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.detail).toMatch(/5000/);
    expect(await safetyEventCount(t.db)).toBe(0);
  });

  it('a bad cursor is a 400, not a 500', async () => {
    const { t, committee } = await setup();
    expectProblem(await t.call('GET', '/api/safety-events?cursor=bm9wZQ', { token: committee.token }), 400, 'validation_failed');
  });

  it('the bulk import checks every row first: one bad row and nothing is written', async () => {
    const { t, driver } = await setup();
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ externalId: `bulk-${i}`, driverId: driver.id, kind: 'inspection_passed' as const, occurredAt: day(1) }));
    rows[11_000] = { ...rows[11_000]!, driverId: randomUUID() };
    const failure = await importSafetyEvents(t.db, rows, { now: day(35) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).fields).toEqual([{ path: 'events.11000.driverId', message: expect.stringMatching(/^no driver/) }]);
    expect(await safetyEventCount(t.db)).toBe(0);
  });
});
