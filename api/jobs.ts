import type { Db } from '../db/client';
import type { Clock } from './clock';
import { createLedger } from './ledger/ledger';
import { expireRedemptions } from './market/redemptions';

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
  ];
}

/** Runs each job on its interval, never overlapping itself; a failure is logged and retried next time. */
export function startJobs(jobs: Job[], log: (line: Record<string, unknown>) => void = (l) => console.log(JSON.stringify(l))) {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run();
      } catch (error) {
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
