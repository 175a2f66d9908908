import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { queryOne, type Db } from '../../db/client';
import { committedTransfers } from '../ledger/committed';
import { redeemBatching } from '../market/redemptions';
import { scrapeAcrossWorkers } from './cluster-metrics';

export interface RequestObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

export interface JobObservation {
  job: string;
  outcome: 'ok' | 'failed' | 'skipped';
  seconds: number;
}

export interface Metrics {
  observeRequest(r: RequestObservation): void;
  observeJob(r: JobObservation): void;
  /** The Prometheus text exposition: this app's metrics, then the process's (or, across workers, the server's). */
  scrape(): Promise<string>;
  readonly contentType: string;
}

let processRegistry: Registry | undefined;

/**
 * Metrics that belong to the process, not to one app: Node's defaults (RSS, event-loop lag, GC…)
 * and the ledger transfers the process committed. Made once, however many apps a test builds.
 */
function processMetrics(): Registry {
  if (processRegistry) return processRegistry;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Counter({
    name: 'milepost_ledger_transfers_total',
    help: 'Ledger transfers this process committed (refusals and idempotent replays not counted), by operation and code',
    labelNames: ['op', 'code'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of committedTransfers()) this.inc({ op: c.op, code: c.code }, c.count);
    },
  });
  // Group commit of redeems (market/redemptions.ts): the mean batch is batched ÷ written batches.
  new Counter({
    name: 'milepost_redeem_batches_total',
    help: 'Redeem batches this process sent as one statement, by outcome: written, or failed as a whole and run one by one',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ outcome: 'written' }, redeemBatching.batches);
      this.inc({ outcome: 'run_alone' }, redeemBatching.batchesRunAlone);
    },
  });
  new Counter({
    name: 'milepost_redeem_batched_total',
    help: 'Redeems decided in written batches (a redeem with nothing in flight goes alone and is not counted)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(redeemBatching.batchedRedeems);
    },
  });
  processRegistry = registry;
  return registry;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * A registry per app, so apps in one process (tests) keep their own request and job counts. A
 * cluster worker's app (`acrossWorkers`) answers a scrape with the whole server's metrics,
 * gathered by the primary (cluster-metrics.ts).
 */
export function createMetrics(db: Db, options: { acrossWorkers?: boolean } = {}): Metrics {
  const shared = processMetrics();
  const registry = new Registry();

  const requests = new Counter({
    name: 'milepost_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'milepost_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until the handler returned), by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const jobRuns = new Counter({
    name: 'milepost_job_runs_total',
    help: 'Background job runs by job and outcome (skipped: the previous run was still going)',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'milepost_job_run_duration_seconds',
    help: 'Background job run time by job and outcome',
    labelNames: ['job', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const jobLastSuccess = new Gauge({
    name: 'milepost_job_last_success_timestamp_seconds',
    help: 'When each background job last finished without an error (Unix time)',
    labelNames: ['job'],
    registers: [registry],
    aggregator: 'max',
  });

  // One query per scrape feeds three gauges; the registry collects them concurrently.
  let reading: Promise<{ n: number; points: string } | null> | null = null;
  const openHolds = () =>
    (reading ??= queryOne<{ n: number; points: string }>(
      db,
      sql`select count(*)::int as n, coalesce(sum(t.amount), 0)::text as points
            from ledger_open_holds h join ledger_transfers t on t.id = h.hold_id`,
    )
      .then((row) => row ?? { n: 0, points: '0' })
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));

  new Gauge({
    name: 'milepost_database_up',
    help: 'Whether this scrape could read the database (1) or not (0); across workers, 0 if any could not',
    registers: [registry],
    aggregator: 'min',
    async collect() {
      this.set((await openHolds()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'milepost_ledger_holds_open',
    help: 'Holds not yet posted or voided (expired ones included until the sweep voids them), read from the database at scrape time',
    registers: [registry],
    // every worker reads the same rows: one reading, not their sum
    aggregator: 'max',
    async collect() {
      const holds = await openHolds();
      if (holds) this.set(holds.n);
      else this.reset();
    },
  });
  new Gauge({
    name: 'milepost_ledger_holds_open_points',
    help: 'Points held by open holds, read from the database at scrape time',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      const holds = await openHolds();
      // A Prometheus sample is a float64: this is an observation, never arithmetic on points.
      if (holds) this.set(new Decimal(holds.points).toNumber());
      else this.reset();
    },
  });

  const scrapeServer = options.acrossWorkers ? scrapeAcrossWorkers([registry, shared]) : null;
  return {
    observeRequest({ method, route, status, seconds }) {
      const m = METHODS.has(method) ? method : 'OTHER';
      requests.inc({ method: m, route, status: String(status) });
      requestSeconds.observe({ method: m, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
    },
    observeJob({ job, outcome, seconds }) {
      jobRuns.inc({ job, outcome });
      if (outcome === 'skipped') return;
      jobSeconds.observe({ job, outcome }, seconds);
      if (outcome === 'ok') jobLastSuccess.set({ job }, Date.now() / 1000);
    },
    async scrape() {
      if (scrapeServer) return scrapeServer();
      return (await registry.metrics()) + (await shared.metrics());
    },
    contentType: registry.contentType,
  };
}
