// PostgreSQL stopped under load and started again, against the real server process: the API
// answers 503 problems while the database is away (no hangs, no 500s), /healthz says so, and the
// same process serves again once it is back, with nothing acknowledged lost. The longer run with
// its figures is `npm run soak:outage`.

import { describe, expect, it } from 'vitest';
import { canStartCluster } from '../support/pg-cluster';
import { runOutage, type Answer } from '../soak/outage-scenario';

const TIMEOUT_MS = 5_000;

const byStatus = (answers: Answer[]) => answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});

describe.skipIf(!canStartCluster())('a database outage under load', () => {
  it('503 problems while PostgreSQL is down, service again without a restart, nothing acknowledged lost', { timeout: 180_000 }, async () => {
    const report = await runOutage({ warmSeconds: 2, outageSeconds: 4, afterSeconds: 3, clients: 6, stopMode: 'fast', timeoutMs: TIMEOUT_MS });
    // Answered while PostgreSQL was down: a request sent then but answered after it came back may
    // legitimately be a 4xx (a refused redeem).
    const down = report.answers.filter((a) => a.phase === 'down' && a.answeredIn === 'down');
    const after = report.answers.filter((a) => a.phase === 'after');

    expect(down.length).toBeGreaterThan(20);
    expect(Object.keys(byStatus(down)).map(Number).filter((s) => s !== 503 && (s < 200 || s > 299)), JSON.stringify(byStatus(down))).toEqual([]);
    expect(down.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(Math.max(...down.map((a) => a.ms))).toBeLessThan(TIMEOUT_MS);

    for (const a of report.answers.filter((x) => x.status >= 500)) {
      expect(a.status, JSON.stringify(a)).toBe(503);
      expect(a.problemJson && a.problemCode, JSON.stringify(a)).toBe('unavailable');
    }
    expect(report.answers.filter((a) => a.status === 0), 'requests that hung or lost their connection').toEqual([]);

    expect(report.healthDuringOutage.length).toBeGreaterThan(0);
    for (const h of report.healthDuringOutage) {
      expect(h.status).toBe(503);
      expect(JSON.parse(h.body)).toEqual({ status: 'unavailable', database: 'unreachable' });
    }

    expect(report.serverRestarted).toBe(false);
    expect(report.recoveryMs).not.toBeNull();
    expect(report.recoveryMs!).toBeLessThan(10_000);
    for (const op of ['catalog', 'wallet', 'redeem'] as const) {
      expect(after.filter((a) => a.op === op && a.status >= 200 && a.status < 300).length, op).toBeGreaterThan(0);
    }

    expect(report.proofs.trialBalanceZero).toBe(true);
    expect(report.proofs.verifyFailures).toEqual([]);
    expect(report.proofs.verifyOk).toBe(true);
    expect(report.proofs.acknowledgedRedeems).toBeGreaterThan(0);
    expect(report.proofs.acknowledgedFound).toBe(report.proofs.acknowledgedRedeems);
    expect(report.proofs.keysWithOneRedemption, 'every redeem key, retried after the outage, has exactly one redemption').toBe(report.proofs.keysTotal);
  });
});
