// GET /metrics: request counts and latency by route pattern (never by raw path), ledger transfers
// counted once they commit (not when their transaction rolls back, not on a replay), open holds
// read from the database, background job runs, and the optional bearer token.

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { FakeClock } from '../../api/clock';
import { testConfig } from '../../api/config';
import { startJobs } from '../../api/jobs';
import { PROGRAMME_ACCOUNTS, walletOf } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { createLogger } from '../../api/ops/log';
import { createMetrics } from '../../api/ops/metrics';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { sample } from '../support/prometheus';
import { D, marketScene } from '../market/market-support';

async function scrape(t: Pick<TestApp, 'call'>, token?: string) {
  const res = await t.call('GET', '/metrics', { token });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

describeEachBackend('operations: /metrics', (current) => {
  it('counts requests by route pattern, method and status, with a latency histogram; unknown paths share one label', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) expect((await t.call('POST', `/api/redemptions/${id}/cancel`, { token: driver.token })).status).toBe(404);
    for (let i = 0; i < 4; i++) expect((await t.call('GET', `/no/such/${randomUUID()}`)).status).toBe(404);
    expect((await t.call('GET', '/healthz')).status).toBe(200);

    const text = await scrape(t);
    const cancel = { method: 'POST', route: '/api/redemptions/:id/cancel' };
    expect(sample(text, 'milepost_http_requests_total', { ...cancel, status: '404' })).toBe(3);
    expect(sample(text, 'milepost_http_request_duration_seconds_count', { ...cancel, status_class: '4xx' })).toBe(3);
    expect(sample(text, 'milepost_http_request_duration_seconds_bucket', { ...cancel, status_class: '4xx', le: '+Inf' })).toBe(3);
    expect(sample(text, 'milepost_http_request_duration_seconds_sum', { ...cancel, status_class: '4xx' })).toBeGreaterThan(0);
    expect(sample(text, 'milepost_http_requests_total', { method: 'POST', route: '/api/auth/login', status: '200' })).toBe(1);
    expect(sample(text, 'milepost_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(4);
    expect(sample(text, 'milepost_http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(1);
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain('/no/such');
    // The process's own metrics come with every scrape.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it("keeps each app's request counts to itself", async () => {
    const a = testApp(current());
    const b = testApp(current());
    await a.call('GET', '/healthz');
    await a.call('GET', '/healthz');
    expect(sample(await scrape(a), 'milepost_http_requests_total', { route: '/healthz' })).toBe(2);
    expect(sample(await scrape(b), 'milepost_http_requests_total', { route: '/healthz' })).toBeUndefined();
  });

  it('counts a ledger transfer once its transaction commits: not when it rolls back, not when a retry replays it', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const wallet = (await walletOf(t.db, driver.id))!;
    const award = { op: 'transfer', code: 'award' };
    const before = sample(await scrape(t), 'milepost_ledger_transfers_total', award) ?? 0;
    const transfer = (db: typeof t.db, key: string) =>
      createLedger(db, t.clock).transfer({ key, debit: PROGRAMME_ACCOUNTS.issuance, credit: wallet, amount: D('5.00'), code: 'award' });

    await expect(
      t.db.transaction(async (tx) => {
        await transfer(tx, `rolled-back-${randomUUID()}`);
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(sample(await scrape(t), 'milepost_ledger_transfers_total', award) ?? 0).toBe(before);

    const key = `committed-${randomUUID()}`;
    await t.db.transaction((tx) => transfer(tx, key));
    expect(sample(await scrape(t), 'milepost_ledger_transfers_total', award)).toBe(before + 1);

    await transfer(t.db, key);
    expect(sample(await scrape(t), 'milepost_ledger_transfers_total', award)).toBe(before + 1);
  });

  it('counts the transfer an instant award makes through the API', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    const labels = { op: 'transfer', code: 'earn.award' };
    const before = sample(await scrape(t), 'milepost_ledger_transfers_total', labels) ?? 0;
    const res = await t.call('POST', '/api/awards', {
      token: committee.token,
      body: { driverId: driver.id, points: '25.00', reason: 'Helped at a roadside accident' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status, res.text).toBe(201);
    expect(sample(await scrape(t), 'milepost_ledger_transfers_total', labels)).toBe(before + 1);
  });

  it('reports the open holds from the database: a redemption adds its hold, a cancel takes it away', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('500.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '120.50', stock: 5 });
    const first = await scrape(m);
    expect(sample(first, 'milepost_database_up')).toBe(1);
    expect(sample(first, 'milepost_ledger_holds_open')).toBe(0);
    expect(sample(first, 'milepost_ledger_holds_open_points')).toBe(0);

    const voucher = await m.redeem(driver.token, offer.id);
    expect(voucher.status, voucher.text).toBe(201);
    const held = await scrape(m);
    expect(sample(held, 'milepost_ledger_holds_open')).toBe(1);
    expect(sample(held, 'milepost_ledger_holds_open_points')).toBe(120.5);

    expect((await m.cancel(driver.token, voucher.json.id)).status).toBe(200);
    expect(sample(await scrape(m), 'milepost_ledger_holds_open')).toBe(0);
  });

  it('counts redeems that arrive together and go as one batch, so the mean batch size can be read', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('500.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '10.00', stock: 50, perDriverLimit: 50 });
    const count = (text: string) => ({
      written: sample(text, 'milepost_redeem_batches_total', { outcome: 'written' }) ?? 0,
      alone: sample(text, 'milepost_redeem_batches_total', { outcome: 'run_alone' }) ?? 0,
      batched: sample(text, 'milepost_redeem_batched_total') ?? 0,
    });
    const before = count(await scrape(m));
    // The first goes at once; the other eleven arrive while it is in flight and go together.
    const answers = await Promise.all(Array.from({ length: 12 }, () => m.redeem(driver.token, offer.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const after = count(await scrape(m));
    expect(after.written - before.written).toBeGreaterThanOrEqual(1);
    expect(after.batched - before.batched).toBeGreaterThanOrEqual(2);
    expect(after.batched - before.batched).toBeLessThanOrEqual(12);
    expect(after.alone - before.alone).toBe(0);
  });

  it('counts background job runs by job and outcome, with their duration', async () => {
    const handle = current();
    const metrics = createMetrics(handle.db);
    const app = createApp({ db: handle.db, config: testConfig(), clock: new FakeClock('2026-06-01T08:00:00.000Z'), metrics, logger: createLogger({ level: 'silent' }) });
    const lines: Record<string, unknown>[] = [];
    let runs = 0;
    const stop = startJobs(
      [
        { name: 'test.works', everyMs: 3_600_000, run: async () => void runs++ },
        { name: 'test.breaks', everyMs: 3_600_000, run: async () => Promise.reject(new Error('no luck')) },
      ],
      (line) => lines.push(line),
      metrics.observeJob,
    );
    await expect.poll(() => runs + lines.length).toBe(2);
    stop();

    const text = await (await app.request('/metrics')).text();
    expect(sample(text, 'milepost_job_runs_total', { job: 'test.works', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'milepost_job_runs_total', { job: 'test.breaks', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'milepost_job_runs_total', { job: 'test.breaks', outcome: 'ok' })).toBeUndefined();
    expect(sample(text, 'milepost_job_run_duration_seconds_count', { job: 'test.works', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'milepost_job_last_success_timestamp_seconds', { job: 'test.works' })).toBeGreaterThan(0);
    expect(sample(text, 'milepost_job_last_success_timestamp_seconds', { job: 'test.breaks' })).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', job: 'test.breaks', error: 'Error: no luck' })]);
  });

  it('wants the bearer token when METRICS_TOKEN is set, and stays out of the OpenAPI document', async () => {
    const token = `metrics-${randomUUID()}`;
    const t = testApp(current(), { metricsToken: token });
    const anonymous = expectProblem(await t.call('GET', '/metrics'), 401, 'unauthenticated');
    expect(anonymous.detail).toContain('Bearer');
    expectProblem(await t.call('GET', '/metrics', { token: `${token}x` }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/metrics', { headers: { authorization: token } }), 401, 'unauthenticated');
    expect((await t.call('GET', '/metrics')).headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(sample(await scrape(t, token), 'milepost_http_requests_total', { route: '/metrics', status: '401' })).toBe(4);

    const doc = await t.call('GET', '/api/openapi.json');
    expect(Object.keys(doc.json.paths)).not.toContain('/metrics');
  });
});
