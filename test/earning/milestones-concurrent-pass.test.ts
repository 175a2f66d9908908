// Several API processes run the daily milestone job against one PostgreSQL: two passes at once
// must pay every milestone exactly once (one takes the advisory lock, the other stands down), and
// driver-scoped evaluations racing each other (new events) still pay once. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { evaluateMilestones, MILESTONE_JOB, withJobLock } from '../../api/earning/milestones';
import { verify } from '../../api/ledger/reads';
import { queryOne } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { extraConnections } from '../ledger/race-support';
import { available, day, joinedDriver, T0 } from './safety-support';

describeEachBackend(
  'earning: concurrent milestone passes',
  (current) => {
    const more = extraConnections(current);

    const earningsCount = async () => Number((await queryOne<{ n: string }>(current().db, sql`select count(*)::text as n from earnings`))!.n);

    it('two daily passes from two processes at once pay every milestone exactly once', async () => {
      const db = current().db;
      const drivers = await Promise.all(Array.from({ length: 40 }, (_, i) => joinedDriver(db, day(i))));
      const clock = new FakeClock(day(130));
      const [a, b] = await more.pools(2, 3);
      const [ra, rb] = await Promise.all([evaluateMilestones(a!.db, clock), evaluateMilestones(b!.db, clock)]);
      // drivers who joined on day 0 … 39 have streaks of 130 … 91 days: 3 or 4 milestones each, and
      // the challenge for those at 100 days or more (joined by day 30)
      const expected = drivers.reduce((n, _, i) => n + Math.floor((130 - i) / 30) + (130 - i >= 100 ? 1 : 0), 0);
      expect(ra.ran || rb.ran).toBe(true);
      expect(ra.paid + rb.paid).toBe(expected);
      expect(await earningsCount()).toBe(expected);
      expect(await evaluateMilestones(b!.db, clock)).toMatchObject({ ran: true, paid: 0, due: 0 });
      expect((await verify(db, clock.now())).ok).toBe(true);
    });

    it('while one process runs the pass, a pass from another process stands down and pays nothing', async () => {
      const db = current().db;
      await joinedDriver(db, T0);
      const clock = new FakeClock(day(31));
      const [a, b] = await more.pools(2, 3);
      let inside: Awaited<ReturnType<typeof evaluateMilestones>> | undefined;
      const held = await withJobLock(a!.db, MILESTONE_JOB, async () => {
        inside = await evaluateMilestones(b!.db, clock);
      });
      expect(held).toEqual({ ran: true });
      expect(inside).toMatchObject({ ran: false, due: 0, paid: 0 });
      expect(await earningsCount()).toBe(0);
      expect(await evaluateMilestones(b!.db, clock)).toMatchObject({ ran: true, paid: 1 });
    });

    it('passes that overlap without the lock (new events for the same drivers) still pay each milestone once', async () => {
      const db = current().db;
      const drivers = await Promise.all(Array.from({ length: 20 }, () => joinedDriver(db, T0)));
      const ids = drivers.map((d) => d.id);
      const clock = new FakeClock(day(100));
      const pools = await more.pools(4, 2);
      const results = await Promise.all([
        ...pools.map((p) => evaluateMilestones(p.db, clock, ids)),
        ...pools.map((p) => evaluateMilestones(p.db, clock, [...ids].reverse())),
      ]);
      expect(results.reduce((n, r) => n + r.paid, 0)).toBe(20 * 4); // days 30, 60, 90 and the challenge
      expect(await earningsCount()).toBe(80);
      for (const d of drivers) expect(await available(db, d.id)).toBe('160.00');
      expect((await verify(db, clock.now())).ok).toBe(true);
    });

    it('the job lock is released when the pass ends, also when it fails', async () => {
      const [a, b] = await more.pools(2, 2);
      await expect(withJobLock(a!.db, MILESTONE_JOB, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await withJobLock(b!.db, MILESTONE_JOB, async () => {})).toEqual({ ran: true });
    });
  },
  { postgresOnly: true },
);
