// A→B and B→A at the same time from many workers: the classic deadlock shape. Wallet rows are
// locked in id order, so no deadlock (40P01) or serialization failure may reach a caller — and,
// called straight through SQL with no retry around it, none may even happen. The total A+B never
// changes. Real PostgreSQL only.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger, type Ledger, type LedgerOutcome } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
  count,
  D,
  describeError,
  expectSound,
  extraConnections,
  fund,
  openWallet,
  range,
  rawOp,
  shuffled,
  tally,
} from './race-support';

const WORKERS = 8;
const PER_WORKER = 200;
const START = '1000.00';

/**
 * Worker w's j-th transfer. Transfers come in pairs (2k, 2k+1) of the same amount in opposite
 * directions, and even workers start A→B while odd ones start B→A, so both directions are always
 * in flight, each worker nets to zero, and no transfer can run short of funds (at most
 * 8 × 3.75 is ever out of place).
 */
function move(w: number, j: number, a: string, b: string) {
  const forward = (w + j) % 2 === 0;
  const amount = D((((j >> 1) % 3) + 1) * 1.25).toFixed(2); // 1.25, 2.50, 3.75
  return { debit: forward ? a : b, credit: forward ? b : a, amount };
}

describeEachBackend(
  'ledger: A→B and B→A from many workers at once',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const a = await openWallet(db);
      const b = await openWallet(db);
      const funder = createLedger(db, clock, { batching: false });
      await fund(funder, a, START);
      await fund(funder, b, START);
      return { clock, db, a, b };
    }

    async function expectUnchanged(db: Parameters<typeof balance>[0], a: string, b: string, transfers: number) {
      const [ba, bb] = [await balance(db, a), await balance(db, b)];
      expect(ba.posted.plus(bb.posted).toFixed(2)).toBe('2000.00');
      // Every worker nets to zero, so each wallet is back exactly where it started.
      expect([ba.posted.toFixed(2), bb.posted.toFixed(2)]).toEqual([START, START]);
      expect(await count(db, sql`select 1 from ledger_transfers where code = 'transfer'`)).toBe(transfers);
    }

    it(`direct path, ${WORKERS} workers × ${PER_WORKER} transfers over a 24-connection pool: no error reaches a caller, A+B unchanged`, async () => {
      const { clock, db, a, b } = await setup();
      const pool = await more.pool(24);
      const ledger = createLedger(pool.db, clock, { batching: false });

      const worker = async (w: number) => {
        const out: LedgerOutcome[] = [];
        for (let j = 0; j < PER_WORKER; j++) {
          const m = move(w, j, a, b);
          out.push(await ledger.run({ op: 'transfer', key: `x-${w}-${j}`, code: 'transfer', ...m, amount: D(m.amount) }));
        }
        return out;
      };
      const outcomes = (await allOutcomes(range(WORKERS).map(worker))).flat();
      expect(tally(outcomes)).toEqual({ ok: WORKERS * PER_WORKER });
      await expectUnchanged(db, a, b, WORKERS * PER_WORKER);
      await expectSound(db, clock.now());
    });

    it(`eight ledgers on eight separate pools, ${WORKERS} workers × ${PER_WORKER}: different connections race, no error reaches a caller`, async () => {
      const { clock, db, a, b } = await setup();
      const pools = await more.pools(WORKERS, 3);
      const ledgers = pools.map((p) => createLedger(p.db, clock, { batching: false }));

      const worker = async (w: number) => {
        const out: LedgerOutcome[] = [];
        // Each worker fires four calls at a time at its own three-connection pool.
        for (let j = 0; j < PER_WORKER; j += 4) {
          out.push(
            ...(await Promise.all(
              range(4).map((k) => {
                const m = move(w, j + k, a, b);
                return ledgers[w]!.run({ op: 'transfer', key: `y-${w}-${j + k}`, code: 'transfer', ...m, amount: D(m.amount) });
              }),
            )),
          );
        }
        return out;
      };
      const outcomes = (await allOutcomes(range(WORKERS).map(worker))).flat();
      expect(tally(outcomes)).toEqual({ ok: WORKERS * PER_WORKER });
      await expectUnchanged(db, a, b, WORKERS * PER_WORKER);
      await expectSound(db, clock.now());
    });

    it(`eight racing micro-batchers, each committing mixed-direction batches of 10: no error reaches a caller, A+B unchanged`, async () => {
      const { clock, db, a, b } = await setup();
      const pools = await more.pools(WORKERS, 2);
      const ledgers: Ledger[] = pools.map((p) => createLedger(p.db, clock)); // batching on

      const worker = async (w: number) => {
        const out: LedgerOutcome[] = [];
        for (let j = 0; j < PER_WORKER; j += 10) {
          // Ten calls submitted together become one batch; their order is shuffled so that the
          // batch's first operation is sometimes A→B, sometimes B→A.
          const calls = shuffled(range(10), w * 1000 + j).map((k) => {
            const m = move(w, j + k, a, b);
            return ledgers[w]!.run({ op: 'transfer', key: `z-${w}-${j + k}`, code: 'transfer', ...m, amount: D(m.amount) });
          });
          out.push(...(await Promise.all(calls)));
        }
        return out;
      };
      const outcomes = (await allOutcomes(range(WORKERS).map(worker))).flat();
      expect(tally(outcomes)).toEqual({ ok: WORKERS * PER_WORKER });
      await expectUnchanged(db, a, b, WORKERS * PER_WORKER);
      await expectSound(db, clock.now());
    });

    it(`straight through SQL with no retry, ${WORKERS} connections × ${PER_WORKER}: not one deadlock or serialization failure happens at all`, async () => {
      const { clock, db, a, b } = await setup();
      const clients = await Promise.all(range(WORKERS).map(() => more.raw(1)));
      const now = clock.now().toISOString();

      const worker = async (w: number) => {
        const sqlc = clients[w]!;
        const errors: string[] = [];
        let ok = 0;
        for (let j = 0; j < PER_WORKER; j++) {
          const m = move(w, j, a, b);
          const op = rawOp({ op: 'transfer', key: `r-${w}-${j}`, code: 'transfer', ...m });
          try {
            const [row] = await sqlc`select ledger_apply(${op}::text::jsonb, ${now}::timestamptz) as r`;
            if ((row!.r as { ok: boolean }).ok) ok++;
            else errors.push(JSON.stringify(row!.r));
          } catch (error) {
            errors.push(describeError(error));
          }
        }
        return { ok, errors };
      };
      const results = await Promise.all(range(WORKERS).map(worker));
      expect(results.flatMap((r) => r.errors)).toEqual([]);
      expect(results.reduce((n, r) => n + r.ok, 0)).toBe(WORKERS * PER_WORKER);
      await expectUnchanged(db, a, b, WORKERS * PER_WORKER);
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
