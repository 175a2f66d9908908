import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { crashRun } from '../soak/crash-run';
import { expectCrashProofsHeld } from './crash-proofs';
import { freshDatabase } from '../soak/scene';

const pgUrl = inject('pgUrl');
// CI starts PostgreSQL for the suite; without it this proof would be skipped unnoticed.
if (!pgUrl && process.env.CI) throw new Error('the crash-safety test needs PostgreSQL in CI (TEST_DATABASE_URL)');

const quick = { kills: 2, gapMs: [1500, 3000] as [number, number], workers: 6, drivers: 6 };

describe('crash safety: kill -9 under mixed load, restart, prove', () => {
  it.skipIf(!pgUrl)('on PostgreSQL: acknowledged writes are kept, nothing is half-applied, retries converge, the ledger verifies', async () => {
    const db = await freshDatabase(pgUrl!);
    try {
      const report = await crashRun({ ...quick, where: { url: db.url }, processes: 1 });
      expectCrashProofsHeld(report, 2);
    } finally {
      await db.drop();
    }
  }, 180_000);

  it('on PGlite: the data directory reopens after kill -9 and the same proofs hold', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'milepost-crash-test-'));
    try {
      const report = await crashRun({ ...quick, kills: 1, where: { dataDir }, processes: 1 });
      expectCrashProofsHeld(report, 1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
