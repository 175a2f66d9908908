// Two (and ten) committee members approve the same claim at the same moment, each on their own
// server connection: one approval wins and pays; the others find the claim decided (409) and
// pay nothing. Gated: every approval waits on the claim's row lock before any goes ahead.
// Real PostgreSQL only.

import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { FakeClock } from '../../api/clock';
import { AppError } from '../../api/errors';
import { approveClaim, payVolunteerClaim, submitClaim } from '../../api/earning/volunteering';
import { balance } from '../../api/ledger/reads';
import { describeEachBackend } from '../support/backends';
import { extraConnections, waitForLockWaiters } from '../ledger/race-support';
import { raceDrivers, racePartner } from '../market/market-race-support';
import { expectLedgerSound } from '../market/market-support';

type Outcome = { ok: true } | { ok: false; code: string };

const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    () => ({ ok: true as const }),
    (e) => {
      if (e instanceof AppError) return { ok: false as const, code: e.code };
      throw e;
    },
  );

describeEachBackend(
  'volunteering: concurrent approvals of one claim pay once',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock('2026-06-01T08:00:00.000Z');
      const db = current().db;
      const { committee } = await racePartner(db, clock);
      const [driver] = await raceDrivers(db, clock, 1, '0.01');
      const claim = await submitClaim(db, clock, driver!.user.id, { event: 'Exam day convoy', date: '2026-05-30', hours: '4' });
      return { clock, db, committee, driver: driver!, claim };
    }

    async function expectPaidOnce(db: Db, claimId: string, wallet: string) {
      const earnings = await queryRows<{ points: string }>(db, sql`select points::text from earnings where source = 'volunteering' and source_id = ${claimId}`);
      expect(earnings).toEqual([{ points: '40.00' }]);
      const transfers = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ledger_transfers where code = 'earn.volunteering'`);
      expect(transfers!.n).toBe('1');
      expect((await balance(db, wallet)).posted.toFixed(2)).toBe(new Decimal('40.01').toFixed(2));
      const audits = await queryOne<{ n: string }>(db, sql`select count(*)::text as n from audit_log where target_id = ${claimId} and action = 'volunteer_claim.approve'`);
      expect(audits!.n).toBe('1');
      const status = await queryOne<{ status: string }>(db, sql`select status from volunteer_claims where id = ${claimId}`);
      expect(status!.status).toBe('approved');
    }

    it('gated: two approvals wait on the claim row together → one pays, one gets claim_already_decided', async () => {
      const { clock, db, committee, driver, claim } = await setup();
      const pools = await more.pools(2, 2);
      const raw = await more.raw(1);
      const conn = await raw.reserve();
      await conn`begin`;
      await conn`select 1 from volunteer_claims where id = ${claim.id} for update`;
      const calls = pools.map((p) => outcome(approveClaim(p.db, clock, committee, claim.id)));
      await waitForLockWaiters(db, 2);
      await conn`commit`;
      conn.release();
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, code: 'claim_already_decided' }]);
      await expectPaidOnce(db, claim.id, driver.wallet);
      await expectLedgerSound(db, clock.now());
    });

    it('ungated: ten approvals and an appeal’s payVolunteerClaim at once from separate connections → paid once', async () => {
      const { clock, db, committee, driver, claim } = await setup();
      const pools = await more.pools(11, 1);
      const calls = pools.map((p, i) =>
        outcome(i === 10 ? p.db.transaction((tx) => payVolunteerClaim(tx, clock, claim.id, committee.id)) : approveClaim(p.db, clock, committee, claim.id)),
      );
      const outcomes = await Promise.all(calls);
      // The appeal path is idempotent (it always succeeds); among approvals, at most one wins
      // (none, if the appeal got there first).
      const approvals = outcomes.slice(0, 10);
      expect(outcomes[10]).toEqual({ ok: true });
      expect(approvals.filter((o) => o.ok).length).toBeLessThanOrEqual(1);
      expect(approvals.filter((o) => !o.ok).every((o) => !o.ok && o.code === 'claim_already_decided')).toBe(true);
      const earnings = await queryRows<{ points: string }>(db, sql`select points::text from earnings where source = 'volunteering' and source_id = ${claim.id}`);
      expect(earnings).toEqual([{ points: '40.00' }]);
      expect((await balance(db, driver.wallet)).posted.toFixed(2)).toBe('40.01');
      await expectLedgerSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
