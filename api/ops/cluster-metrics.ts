import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { AppError } from '../errors';

/**
 * /metrics for a server of several processes (WORKERS > 1). The scrape reaches whichever worker
 * the primary dealt the connection to; answering with that worker's counts alone would make every
 * counter jump between the workers' values from one scrape to the next, which Prometheus reads as
 * resets. So the worker asks the primary, the primary gathers every worker's registries
 * (prom-client's AggregatorRegistry, over the cluster's IPC channel) and sums them, and the worker
 * answers with the whole server. Gauges that are not additive say how they combine (`aggregator`
 * in metrics.ts); prom-client's own process metrics already do.
 */

const ASK = 'milepost:metrics-ask';
const ANSWER = 'milepost:metrics-answer';

/** The primary waits up to 5 s for every worker (prom-client); a worker waits a little longer for the primary. */
const WAIT_FOR_PRIMARY_MS = 6_000;

interface Ask {
  type: typeof ASK;
  id: number;
}

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** In the primary: answers each worker's scrape with every live worker's metrics, aggregated. */
export function gatherWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<Ask>(message, ASK)) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer } satisfies Answer);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/**
 * In a worker: lets the primary gather `registries`, and returns the scrape, which asks the
 * primary for the whole server's metrics. A primary that does not answer (a worker stuck, the
 * server stopping) is a 503, never one worker's counts passed off as the server's.
 */
export function scrapeAcrossWorkers(registries: Registry[]): () => Promise<string> {
  AggregatorRegistry.setRegistries(registries);
  // Constructing one installs prom-client's listener for the primary's requests in this worker.
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage<Answer>(message, ANSWER)) return;
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.text !== undefined) waiter.resolve(message.text);
    else waiter.reject(new AppError('unavailable', `the server's processes could not be gathered for metrics: ${message.error ?? 'no answer'}`));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new AppError('unavailable', `the primary process did not gather the metrics within ${WAIT_FOR_PRIMARY_MS / 1000} s`));
      }, WAIT_FOR_PRIMARY_MS);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send!({ type: ASK, id } satisfies Ask);
    });
}
