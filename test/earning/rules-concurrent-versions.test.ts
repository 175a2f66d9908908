// Twelve committee saves of the same rule at once, all waiting on the rule's row when it opens:
// every one succeeds with its own version number (2..13), each audited once. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { createUser } from '../../api/auth/auth.service';
import { FakeClock } from '../../api/clock';
import { addVersion } from '../../api/earning/rules';
import { describeEachBackend } from '../support/backends';
import { allOutcomes, extraConnections, range, waitForLockWaiters } from '../ledger/race-support';

const VOLUNTEERING = '00000000-0000-4000-8000-000000000101';

describeEachBackend(
  'reward rules: concurrent versions of one rule',
  (current) => {
    const more = extraConnections(current);

    it('12 saves waiting on the rule at once get distinct numbers 2..13; none fails', async () => {
      const db = current().db;
      const clock = new FakeClock();
      const member = await createUser(db, { role: 'committee', phone: `1380${Date.now() % 1e7}`, name: 'Chen', password: 'a-long-test-password' });
      const pool = await more.pool(12);
      const raw = await more.raw(1);
      const gate = await raw.reserve();
      await gate`begin`;
      // FOR UPDATE also blocks the foreign-key check of an insert, so without the rule lock every save would read the same max and clash
      await gate`select 1 from reward_rules where id = ${VOLUNTEERING} for update`;

      const saves = range(12).map((i) =>
        addVersion(pool.db, member.id, VOLUNTEERING, { terms: { points: String(11 + i), unit: 'hour' }, note: `save ${i}` }, clock.now()).then(
          (r) => ({ ok: true as const, number: r.rule.history.find((v) => v.note === `save ${i}`)!.version }),
          (e: unknown) => ({ ok: false as const, error: String(e) }),
        ),
      );
      await waitForLockWaiters(db, 12);
      await gate`commit`;
      gate.release();
      const outcomes = await allOutcomes(saves);

      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
      const numbers = outcomes.map((o) => (o.ok ? o.number : 0)).sort((a, b) => a - b);
      expect(numbers).toEqual(range(12).map((i) => i + 2));
      const rows = await queryRows<{ version: number }>(db, sql`select version from reward_rule_versions where rule_id = ${VOLUNTEERING} order by version`);
      expect(rows.map((r) => r.version)).toEqual(range(13).map((i) => i + 1));
      const audits = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'reward_rule.version.create' and target_id = ${VOLUNTEERING}`);
      expect(audits[0]!.n).toBe(12);
    });
  },
  { postgresOnly: true },
);
