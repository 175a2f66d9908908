import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import { AppError } from '../errors';

/**
 * /metrics for a server of several processes (WORKERS > 1). The scrape reaches whichever worker
 * the primary dealt the connection to; answering with that worker's counts alone would make every
 * counter jump between the workers' values from one scrape to the next, which Prometheus reads as
 * resets. So the worker asks the primary, the primary gathers every ready worker's registries over
 * the cluster's IPC channel and sums them (prom-client's `AggregatorRegistry.aggregate`), and the
 * worker answers with the whole server. Gauges that are not additive say how they combine
 * (`aggregator` in metrics.ts); prom-client's own process metrics already do.
 *
 * A worker counts once it says it is ready (its registries made), so a scrape while a worker
 * starts gathers the others rather than waiting on it. A worker that exits during a gathering is
 * left out of it; one that does not answer within GATHER_MS fails the scrape (a 503).
 */

type Metrics = Array<MetricObjectWithValues<MetricValue<string>>>;

type Message =
  | { type: 'milepost:metrics-ready' }
  | { type: 'milepost:metrics-ask'; ask: number }
  | { type: 'milepost:metrics-answer'; ask: number; text?: string; error?: string }
  | { type: 'milepost:metrics-collect'; gathering: number }
  | { type: 'milepost:metrics-collected'; gathering: number; metrics?: Metrics[]; error?: string };

/** How long the primary waits for every worker's registries. */
const GATHER_MS = 5_000;
/** How long a worker waits for the primary, which waits up to GATHER_MS for the workers. */
const WAIT_FOR_PRIMARY_MS = GATHER_MS + 1_000;

function isMessage(message: unknown): message is Message {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('milepost:metrics-');
}

/** Sends to a worker; a worker that has just died (EPIPE) is not the primary's problem. */
function sendTo(worker: Worker, message: Message) {
  if (worker.isConnected()) worker.send(message, () => {});
}

interface Gathering {
  waiting: Set<Worker>;
  collected: Metrics[];
  finish: (error?: Error) => void;
}

/** In the primary: answers each worker's scrape with every ready worker's metrics, aggregated. */
export function gatherWorkerMetrics(): void {
  const ready = new Set<Worker>();
  const gatherings = new Map<number, Gathering>();
  let nextGathering = 0;

  const gather = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const id = nextGathering++;
      const timer = setTimeout(() => gathering.finish(new Error(`${gathering.waiting.size} worker(s) did not answer within ${GATHER_MS / 1000} s`)), GATHER_MS);
      const gathering: Gathering = {
        waiting: new Set(ready),
        collected: [],
        finish(error) {
          if (!gatherings.delete(id)) return;
          clearTimeout(timer);
          if (error) reject(error);
          else AggregatorRegistry.aggregate(gathering.collected).metrics().then(resolve, reject);
        },
      };
      gatherings.set(id, gathering);
      if (gathering.waiting.size === 0) gathering.finish();
      for (const worker of gathering.waiting) sendTo(worker, { type: 'milepost:metrics-collect', gathering: id });
    });

  const leftOut = (worker: Worker) => {
    ready.delete(worker);
    for (const gathering of gatherings.values()) if (gathering.waiting.delete(worker) && gathering.waiting.size === 0) gathering.finish();
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    switch (message.type) {
      case 'milepost:metrics-ready':
        ready.add(worker);
        return;
      case 'milepost:metrics-ask':
        gather().then(
          (text) => sendTo(worker, { type: 'milepost:metrics-answer', ask: message.ask, text }),
          (error: unknown) => sendTo(worker, { type: 'milepost:metrics-answer', ask: message.ask, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'milepost:metrics-collected': {
        const gathering = gatherings.get(message.gathering);
        if (!gathering?.waiting.delete(worker)) return;
        if (!message.metrics) return gathering.finish(new Error(`a worker could not read its metrics: ${message.error}`));
        gathering.collected.push(...message.metrics);
        if (gathering.waiting.size === 0) gathering.finish();
        return;
      }
    }
  });
  cluster.on('exit', leftOut);
}

/**
 * In a worker: hands `registries` to the primary's gatherings, and returns the scrape, which asks
 * the primary for the whole server's metrics. A primary that does not answer is a 503, never one
 * worker's counts passed off as the server's.
 */
export function scrapeAcrossWorkers(registries: Registry[]): () => Promise<string> {
  const asks = new Map<number, { resolve: (text: string) => void; reject: (error: unknown) => void }>();
  let nextAsk = 0;
  const send = (message: Message) => process.send!(message, undefined, {}, () => {});

  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'milepost:metrics-collect') {
      Promise.all(registries.map((r) => r.getMetricsAsJSON())).then(
        (metrics) => send({ type: 'milepost:metrics-collected', gathering: message.gathering, metrics }),
        (error: unknown) => send({ type: 'milepost:metrics-collected', gathering: message.gathering, error: String(error) }),
      );
    } else if (message.type === 'milepost:metrics-answer') {
      const ask = asks.get(message.ask);
      if (!ask) return;
      asks.delete(message.ask);
      if (message.text !== undefined) ask.resolve(message.text);
      else ask.reject(new AppError('unavailable', `the server's processes could not be gathered for metrics: ${message.error ?? 'no answer'}`));
    }
  });
  send({ type: 'milepost:metrics-ready' });

  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextAsk++;
      const timer = setTimeout(() => {
        asks.delete(id);
        reject(new AppError('unavailable', `the primary process did not gather the metrics within ${WAIT_FOR_PRIMARY_MS / 1000} s`));
      }, WAIT_FOR_PRIMARY_MS);
      asks.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      send({ type: 'milepost:metrics-ask', ask: id });
    });
}
