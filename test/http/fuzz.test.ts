import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../api/seed';
import { testApp } from '../support/app';
import { freshPglite } from '../support/backends';
import { ROLES, runCampaign, summarizeFailures } from '../fuzz/campaign';

/**
 * The quick, deterministic cut of `npm run soak:fuzz`: a fixed fast-check seed, 100 generated
 * requests per documented operation shared across every role, on PGlite over the demo data.
 */
const SEED = 20260601;
const RUNS = 100;

describe('http: fuzzing every documented operation [pglite]', () => {
  it(`${RUNS} generated requests per operation as every role: no 5xx, every error a problem, no rejected request writes`, async () => {
    const handle = await freshPglite();
    try {
      const t = testApp(handle);
      await seedDemo(t.db, t.clock.now());
      const report = await runCampaign(t, { seed: SEED, perOperation: RUNS });

      expect(summarizeFailures(report.failures), `fast-check seed ${SEED}; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run soak:fuzz`).toEqual([]);
      expect(report.operations).toBeGreaterThanOrEqual(70);
      expect(report.requests).toBe(report.operations * RUNS);
      for (const role of ROLES) expect(report.byRole[role]).toBeGreaterThanOrEqual(report.operations * Math.floor(RUNS / ROLES.length));
      // the generator must get past validation into the handlers, not only bounce off the schemas
      expect(Object.keys(report.successesByOperation).length).toBeGreaterThanOrEqual(report.operations / 2);
      expect(report.ledger).toEqual({ balanced: true, verified: true, failedChecks: [] });
    } finally {
      await handle.close();
    }
  }, 300_000);
});
