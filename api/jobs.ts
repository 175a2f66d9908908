import { analyzeGrownTables, hasConnectionPool, type Db } from '../db/client';
import type { Clock } from './clock';
import { expirePoints } from './earning/expiry';
import { resumeImports } from './earning/volunteering.import';
import { evaluateMilestones, MILESTONE_JOB } from './earning/milestones';
import { createLedger } from './ledger/ledger';
import { expireRedemptions } from './market/redemptions';
import { runScheduledRegrade } from './rating/engine';
import { writeLine } from './ops/log';
import type { JobObservation } from './ops/metrics';

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** The in-process background jobs. Each is safe to run from several processes at once. */
export function backgroundJobs(db: Db, clock: Clock): Job[] {
  const ledger = createLedger(db, clock, { batching: false });
  return [
    // Vouchers first, so their stock comes back; the ledger's sweep catches any other hold.
    { name: 'market.expire-vouchers', everyMs: 30_000, run: () => expireRedemptions(db, clock) },
    { name: 'ledger.expire-holds', everyMs: 30_000, run: () => ledger.expireHolds() },
    // Daily safety milestones for every driver; one process at a time (advisory lock), each milestone paid once.
    { name: MILESTONE_JOB, everyMs: 24 * 60 * 60_000, run: () => evaluateMilestones(db, clock) },
    // Re-grades everyone once per local day and when a new rating policy version takes effect; checks every 5 minutes.
    { name: 'rating.regrade', everyMs: 5 * 60_000, run: () => runScheduledRegrade(db, clock) },
    // Points expiry: checks hourly, expires each driver at most once per local day (advisory lock + ledger key per day).
    { name: 'earning.expire-points', everyMs: 60 * 60_000, run: () => expirePointsJob(db, clock) },
    // Attendance imports a stopped process left half done: finished at start-up (rows are idempotent).
    { name: 'earning.resume-imports', everyMs: 60 * 60_000, run: () => resumeImports(db, clock) },
    // The embedded database has no autovacuum: planner statistics of the tables that grew, every minute.
    ...(hasConnectionPool(db) ? [] : [{ name: 'db.analyze', everyMs: 60_000, run: () => analyzeGrownTables(db) }]),
  ];
}

/** Refusals from the ledger are not expected; surfacing them as a failure gets them logged. */
async function expirePointsJob(db: Db, clock: Clock) {
  const run = await expirePoints(db, clock);
  if (run.failures.length > 0) throw new Error(`points expiry refused for ${run.failures.length} driver(s): ${JSON.stringify(run.failures.slice(0, 5))}`);
  return run;
}

/** Runs each job on its interval, never overlapping itself; a failure is logged and retried next time. */
export function startJobs(
  jobs: Job[],
  log: (line: Record<string, unknown>) => void = writeLine,
  observe: (run: JobObservation) => void = () => {},
) {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return observe({ job: job.name, outcome: 'skipped', seconds: 0 });
      running = true;
      const started = performance.now();
      try {
        await job.run();
        observe({ job: job.name, outcome: 'ok', seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        observe({ job: job.name, outcome: 'failed', seconds: (performance.now() - started) / 1000 });
        log({ level: 'warn', msg: 'job failed', job: job.name, error: String(error) });
      } finally {
        running = false;
      }
    };
    void tick();
    return setInterval(tick, job.everyMs);
  });
  return () => timers.forEach(clearInterval);
}
