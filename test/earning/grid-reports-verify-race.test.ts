// Ten committee members verify the same report at the same moment: it is verified once, paid
// once (one earning, one transfer, 5 points), recorded once and audited once; the other nine get
// a 409. The same for an appeal being upheld five times at once. All racers queue on the
// report's row before it opens. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, type Db } from '../../db/client';
import { payGridReport, transitionReport } from '../../api/earning/grid-reports';
import { AppError } from '../../api/errors';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { extraConnections, range, waitForLockWaiters } from '../ledger/race-support';
import { expectLedgerSound } from '../market/market-support';
import { filed, transition } from './grid-reports-support';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = async <T>(calls: Array<Promise<T>>): Promise<Array<Outcome<T>>> =>
  (await Promise.allSettled(calls)).map((s) => (s.status === 'fulfilled' ? { ok: true, value: s.value } : { ok: false, error: s.reason }));

const n = async (db: Db, query: ReturnType<typeof sql>) => Number((await queryOne<{ n: string }>(db, query))!.n);

describeEachBackend(
  'grid reports: concurrent verifications pay once',
  (current) => {
    const more = extraConnections(current);

    /** Holds the report's row lock on its own connection, so every racer queues behind it. */
    async function gate(reportId: string) {
      const raw = await more.raw(1);
      const conn = await raw.reserve();
      await conn`begin`;
      await conn`select 1 from grid_reports where id = ${reportId} for update`;
      return async () => {
        await conn`commit`;
        conn.release();
      };
    }

    async function expectPaidOnce(db: Db, reportId: string, driverToken: string, t: ReturnType<typeof testApp>) {
      expect(await n(db, sql`select count(*)::text as n from earnings where source = 'grid_report' and source_id = ${reportId}`)).toBe(1);
      expect(await n(db, sql`select count(*)::text as n from ledger_transfers where code = 'earn.grid_report'`)).toBe(1);
      expect(await n(db, sql`select count(*)::text as n from grid_report_events where report_id = ${reportId} and to_status = 'verified'`)).toBe(1);
      const wallet = await t.call('GET', '/api/me/wallet', { token: driverToken });
      expect(wallet.json.available).toBe('5.00');
      await expectLedgerSound(db, t.clock.now());
    }

    it('10 verifications at once → one verified, 9 × 409, paid once', async () => {
      const t = testApp(current());
      const driver = await t.signedIn('driver');
      const committee = await Promise.all(range(10).map(() => t.signedIn('committee')));
      const report = await filed(t, driver.token);
      const pool = await more.pool(10);
      const open = await gate(report.id);
      const calls = committee.map((c) => transitionReport(pool.db, t.clock, c.id, report.id, { to: 'verified' }));
      await waitForLockWaiters(t.db, 10);
      await open();
      const outcomes = await settle(calls);

      const ok = outcomes.filter((o) => o.ok);
      const refused = outcomes.flatMap((o) => (o.ok ? [] : [o.error instanceof AppError ? o.error.code : String(o.error)]));
      expect(ok).toHaveLength(1);
      expect(refused).toEqual(range(9).map(() => 'report_transition_invalid'));
      await expectPaidOnce(t.db, report.id, driver.token, t);
      expect(await n(t.db, sql`select count(*)::text as n from audit_log where target_id = ${report.id} and action = 'grid_report.verified'`)).toBe(1);
    });

    it('an appeal upheld 5 times at once (payGridReport) verifies and pays the rejected report once', async () => {
      const t = testApp(current());
      const driver = await t.signedIn('driver');
      const committee = await t.signedIn('committee');
      const report = await filed(t, driver.token);
      expect((await transition(t, committee.token, report.id, { to: 'rejected', reason: 'blurry photo' })).status).toBe(200);
      const pool = await more.pool(5);
      const open = await gate(report.id);
      const calls = range(5).map(() => pool.db.transaction((tx) => payGridReport(tx, t.clock, report.id, committee.id)));
      await waitForLockWaiters(t.db, 5);
      await open();
      const outcomes = await settle(calls);

      const results = outcomes.map((o) => {
        if (!o.ok) throw o.error;
        return o.value;
      });
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.earning?.earning?.id)).size).toBe(1);
      await expectPaidOnce(t.db, report.id, driver.token, t);
    });
  },
  { postgresOnly: true },
);
