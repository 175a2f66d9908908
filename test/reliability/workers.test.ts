// WORKERS=N: one port, N server processes (node:cluster) on one PostgreSQL. The primary migrates
// and seeds once, the workers share the requests, a worker that dies is replaced, and SIGTERM
// stops them all.

import { get } from 'node:http';
import postgres from 'postgres';
import { sample } from '../support/prometheus';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type AppServer } from '../support/server-process';
import { freshDatabase } from '../soak/scene';

const pgUrl = inject('pgUrl');
if (!pgUrl && process.env.CI) throw new Error('the workers tests need PostgreSQL in CI (TEST_DATABASE_URL)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pids of the request log lines a server printed (each worker logs its own pid), of one route's requests if given. */
function requestPids(lines: readonly string[], route?: string): Set<number> {
  const pids = new Set<number>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number; route?: string };
    if (entry.msg === 'request' && entry.pid && (route === undefined || entry.route === route)) pids.add(entry.pid);
  }
  return pids;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!pgUrl)('WORKERS=2: two server processes on one port', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: AppServer;
  let token: string;
  /** Open holds after the demo seed (its redemptions), which nothing in these tests changes. */
  let openHolds: number;

  beforeAll(async () => {
    db = await freshDatabase(pgUrl!);
    server = await startServer({ DATABASE_URL: db.url, DATA_DIR: undefined, SEED: 'demo', WORKERS: '2', LOG_LEVEL: 'info' }, { startTimeoutMs: 180_000 });
    const login = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13900000001', password: 'driver-demo-01' }),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { token: string }).token;
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    openHolds = Number((await sql`select count(*)::int as n from ledger_open_holds`)[0]!.n);
    await sql.end();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** n reads of `path` at once, each on a connection of its own (so the primary deals each to a worker): status and body. */
  const readAll = (n: number, path: string, bearer: string) =>
    Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<[number, string]>((resolve, reject) => {
            const req = get(`${server.base}${path}`, { agent: false, headers: { authorization: `Bearer ${bearer}` } }, (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (body += chunk));
              res.on('end', () => resolve([res.statusCode ?? 0, body]));
              res.on('error', reject);
            });
            req.on('error', reject);
          }),
      ),
    );

  /** n catalog reads at once: status and number of offers. */
  const readCatalog = async (n: number) =>
    (await readAll(n, '/api/offers', token)).map(([status, body]): [number, number] => [status, (JSON.parse(body) as { items: unknown[] }).items.length]);

  it('the primary seeded once and announced both; both processes answer requests on the one port', async () => {
    // /healthz answers once one worker listens; the primary announces when both do.
    const banner = () => server.lines().filter((l) => l.startsWith('Milepost is running at'));
    for (let i = 0; i < 100 && banner().length === 0; i++) await sleep(100);
    expect(banner()).toEqual([expect.stringContaining('2 server processes')]);
    const answers = await readCatalog(40);
    expect(answers.every(([status, items]) => status === 200 && Number(items) > 0)).toBe(true);
    const pids = requestPids(server.lines());
    expect(pids.size).toBe(2);
    expect(pids.has(server.pid)).toBe(false);
  }, 60_000);

  it('/metrics counts the whole server, whichever process answers the scrape', async () => {
    const lines = server.lines().length;
    const regions = await readAll(40, '/api/offer-regions', token);
    expect(regions.every(([status]) => status === 200)).toBe(true);
    expect(requestPids(server.lines().slice(lines), '/api/offer-regions').size).toBe(2);

    const scrapes = (await readAll(8, '/metrics', token)).map(([status, text]) => {
      expect(status, text).toBe(200);
      return text;
    });
    // The scrapes themselves were answered by both processes, and every one tells the same total.
    expect(requestPids(server.lines().slice(lines), '/metrics').size).toBe(2);
    const read = { method: 'GET', route: '/api/offer-regions' };
    for (const text of scrapes) {
      expect(sample(text, 'milepost_http_requests_total', { ...read, status: '200' })).toBe(40);
      expect(sample(text, 'milepost_http_request_duration_seconds_count', { ...read, status_class: '2xx' })).toBe(40);
      // Read from the one database by each process: the same rows once, not their sum.
      expect(sample(text, 'milepost_database_up')).toBe(1);
      expect(sample(text, 'milepost_ledger_holds_open')).toBe(openHolds);
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    }
  }, 60_000);

  it('a worker that dies is replaced, and the port keeps answering', async () => {
    await readCatalog(40);
    const before = requestPids(server.lines());
    const [victim] = [...before];
    process.kill(victim!, 'SIGKILL');
    let newcomer: number | undefined;
    let answered = false;
    // Scrapes while a worker dies and its replacement starts still answer for the server.
    const scrapes: number[] = [];
    for (let i = 0; i < 100 && !(newcomer && answered); i++) {
      // (After the pause: a connection made the instant a worker dies can be handed to it and hang.)
      await sleep(200);
      const [scraped] = await readAll(1, '/metrics', token);
      scrapes.push(scraped![0]);
      const answers = await readCatalog(10).catch(() => []);
      answered = answers.length === 10 && answers.every(([status]) => status === 200);
      newcomer = [...requestPids(server.lines())].find((pid) => !before.has(pid));
    }
    const [last] = await readAll(1, '/metrics', token);
    scrapes.push(last![0]);
    expect(scrapes.every((status) => status === 200), `scrape statuses ${scrapes.join(' ')}`).toBe(true);
    expect(answered).toBe(true);
    expect(newcomer).toBeDefined();
    expect(isRunning(victim!)).toBe(false);
    expect(server.lines().some((l) => l.includes('"msg":"server process exited"') && l.includes(`"pid":${victim}`))).toBe(true);
    expect(server.exited()).toBeNull();
  }, 60_000);

  it('signing out through one process ends the session in every process at once, though each had it cached', async () => {
    const login = await fetch(`${server.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13900000002', password: 'driver-demo-02' }),
    });
    const other = ((await login.json()) as { token: string }).token;
    const lines = server.lines().length;
    expect((await readAll(40, '/api/me', other)).every(([status]) => status === 200)).toBe(true);
    // Both processes read the session (and keep it for SESSION_CACHE_MS, a minute).
    expect(requestPids(server.lines().slice(lines)).size).toBe(2);

    const logout = await fetch(`${server.base}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${other}` } });
    expect(logout.status).toBe(204);
    let statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses = (await readAll(40, '/api/me', other)).map(([status]) => status);
      if (statuses.every((status) => status === 401)) break;
      await sleep(100);
    }
    expect(statuses).toEqual(Array(40).fill(401));
  }, 60_000);

  it('SIGTERM to the primary stops every worker and ends with exit code 0', async () => {
    const workers = [...requestPids(server.lines())].filter(isRunning);
    expect(workers.length).toBeGreaterThan(0);
    await server.stop();
    expect(server.exited()).toEqual({ code: 0, signal: null });
    for (let i = 0; i < 50 && workers.some(isRunning); i++) await sleep(100);
    expect(workers.filter(isRunning)).toEqual([]);
  }, 60_000);
});

describe('WORKERS without PostgreSQL', () => {
  it('refuses to start on PGlite, saying why', async () => {
    const started = startServer({ DATABASE_URL: undefined, DATA_DIR: '/nonexistent-never-created', SEED: 'none', WORKERS: '2' }, { startTimeoutMs: 60_000 });
    await expect(started).rejects.toThrow(/WORKERS: more than one server process needs DATABASE_URL/);
  }, 90_000);
});
