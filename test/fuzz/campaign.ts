import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import type { App } from '../../api/app';
import type { Clock } from '../../api/clock';
import type { Config } from '../../api/config';
import { createSession } from '../../api/auth/sessions';
import { createUser } from '../../api/auth/auth.service';
import { demoLogins } from '../../api/seed';
import { uploadLimitFor } from '../../api/http/uploads';
import { trialBalance, verify } from '../../api/ledger/reads';
import { changedTables, fingerprinter, rowsAdded, type Fingerprint } from './fingerprint';
import { runImport } from '../../api/earning/volunteering.import';
import { operationsOf, resolver, type Operation } from './openapi';
import { requestArbitrary, type FuzzRequest } from './request-arbitrary';
import type { Pools } from './schema-arbitrary';

/**
 * Sends generated requests to every operation of the OpenAPI document, as every role, and checks
 * each answer: never a 5xx; every non-2xx an RFC 9457 problem whose `status` is the HTTP status;
 * and a rejected request (4xx) leaves the database exactly as it found it. The database picture
 * is taken around every single request, so a rejected request that wrote is named, not averaged.
 */

export const ROLES = ['anonymous', 'driver', 'partner_staff', 'committee', 'integration'] as const;
export type RoleName = (typeof ROLES)[number];

export interface Target {
  app: App;
  db: Db;
  clock: Clock;
  config: Config;
}

export interface CampaignOptions {
  seed: number;
  /** Requests per operation, shared evenly across the roles. */
  perOperation: number;
  /** Only operations whose key ("POST /api/offers") contains this. */
  only?: string;
  onOperation?: (summary: OperationSummary) => void;
}

export interface Failure {
  operation: string;
  role: RoleName;
  label: string;
  status: number;
  why: string;
  request: string;
  answer: string;
  /** Reproduce: the same seed and operation, request number `index`. */
  index: number;
}

export interface OperationSummary {
  operation: string;
  sent: number;
  byClass: Record<string, number>;
  ms: number;
}

export interface CampaignReport {
  seed: number;
  operations: number;
  requests: number;
  byRole: Record<RoleName, number>;
  byClass: Record<string, number>;
  byStatus: Record<string, number>;
  /** Requests that reached a handler and succeeded, by operation: proof the fuzzer got past validation. */
  successesByOperation: Record<string, number>;
  perOperation: OperationSummary[];
  failures: Failure[];
  /** GETs answered 2xx that changed the database: allowed, but listed. */
  readsThatWrote: Array<{ operation: string; label: string; tables: string[] }>;
  ledger: { balanced: boolean; verified: boolean; failedChecks: string[] };
  ms: number;
  /** Of `ms`, the time spent taking database pictures and waiting for background work. */
  msChecking: number;
}

/** A deterministic seed for each operation, so that one can be replayed on its own. */
export function operationSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (seed ^ h) | 0;
}

const DRIVER = demoLogins.find((l) => l.phone === '13900000001')!;
const STAFF = demoLogins.find((l) => l.phone === '13700000001')!;
const COMMITTEE = demoLogins.find((l) => l.phone === '13800000001')!;

async function signIn(app: App, phone: string, password: string): Promise<{ token: string; userId: string }> {
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${phone} failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const me = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } });
  return { token, userId: ((await me.json()) as { id: string }).id };
}

/** Real sessions for every role: the demo users, and an integration user made for the run. */
async function sessionsFor(t: Target) {
  const integration = { phone: '13600000099', password: 'integration-fuzz-1' };
  await createUser(t.db, { role: 'integration', ...integration, name: 'fuzz integration', plateNumber: null, partnerId: null });
  return {
    driver: await signIn(t.app, DRIVER.phone, DRIVER.password),
    partner_staff: await signIn(t.app, STAFF.phone, STAFF.password),
    committee: await signIn(t.app, COMMITTEE.phone, COMMITTEE.password),
    integration: await signIn(t.app, integration.phone, integration.password),
  };
}

async function ids(db: Db, query: string): Promise<string[]> {
  return (await queryRows<{ v: string }>(db, sql.raw(query))).map((r) => r.v);
}

/** Ids, phones and voucher codes that exist now, in a stable order. */
async function loadPools(db: Db): Promise<Pools> {
  const from = (table: string, where = '') => ids(db, `select id::text as v from ${table} ${where} order by id limit 200`);
  const pools: Pools = {
    ids: {
      users: await from('users'),
      drivers: await from('users', `where role = 'driver'`),
      partners: await from('partners'),
      offers: await from('offers'),
      redemptions: await from('redemptions'),
      rewardRules: await from('reward_rules'),
      notifications: await from('notifications'),
      appeals: await from('appeals'),
      imports: await from('volunteer_imports'),
      claims: await from('volunteer_claims'),
      gridReports: await from('grid_reports'),
      photos: await from('photos'),
      transfers: await from('ledger_transfers'),
      accounts: await from('ledger_accounts'),
      earnings: await from('earnings'),
    },
    phones: await ids(db, `select phone as v from users order by phone limit 200`),
    voucherCodes: await ids(db, `select code as v from redemptions order by code limit 200`),
    passwords: demoLogins.map((l) => l.password),
  };
  pools.ids.all = Object.values(pools.ids).flatMap((list) => list.slice(0, 20));
  return pools;
}

function describe(method: string, req: FuzzRequest, role: RoleName): string {
  const body =
    req.body.kind === 'text'
      ? `${req.body.contentType ?? '(no content type)'} ${req.body.text.slice(0, 300)}`
      : req.body.kind === 'bytes'
        ? `${req.body.contentType} ${req.body.bytes.length} bytes`
        : req.body.kind === 'form'
          ? `multipart ${JSON.stringify(req.body.fields.map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 80) : `${v.name} ${v.type} ${v.bytes.length} bytes`]))}`
          : 'no body';
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v.slice(0, 60)}`).join('; ');
  return `${method} ${req.url.slice(0, 300)} as ${role}${req.cookieWithoutCsrf ? ' (cookie, no CSRF)' : ''} [${req.label}] headers {${headers}} body ${body}`;
}

function requestInit(method: string, req: FuzzRequest, token: string | undefined): RequestInit {
  const headers: Record<string, string> = { ...req.headers };
  if (token && req.cookieWithoutCsrf) headers.cookie = `mp_session=${token}`;
  else if (token && !headers.authorization) headers.authorization = `Bearer ${token}`;
  const body = req.body;
  if ((body.kind === 'text' || body.kind === 'bytes') && body.contentType) headers['content-type'] = body.contentType;
  if (body.kind === 'text') return { method, headers, body: body.text };
  if (body.kind === 'bytes') return { method, headers, body: body.bytes };
  if (body.kind === 'form') {
    const form = new FormData();
    for (const [k, v] of body.fields) {
      if (typeof v === 'string') form.append(k, v);
      else form.append(k, new Blob([v.bytes], { type: v.type }), v.name);
    }
    return { method, headers, body: form };
  }
  return { method, headers };
}

/** What is wrong with an answer, or null when it keeps the promises. */
function brokenPromise(status: number, contentType: string | null, text: string): string | null {
  if (status >= 500) return `a ${status}`;
  if (status >= 200 && status < 300) return null;
  if (!contentType?.startsWith('application/problem+json')) return `a ${status} that is ${contentType ?? 'untyped'}, not problem+json`;
  let problem: any;
  try {
    problem = JSON.parse(text);
  } catch {
    return `a ${status} problem that is not JSON`;
  }
  if (typeof problem?.type !== 'string' || typeof problem?.title !== 'string') return `a ${status} problem without type or title`;
  if (problem.status !== status) return `a ${status} problem whose status says ${problem.status}`;
  if (typeof problem.detail !== 'string' || typeof problem.code !== 'string') return `a ${status} problem without detail or code`;
  if (/\bat .*\.(ts|js|mjs|cjs):\d+|node_modules/.test(text)) return `a ${status} problem that shows a stack trace`;
  return null;
}

/**
 * The ledger remembers the answer to an Idempotency-Key, refusals included (a retry of a refused
 * spend keeps being refused after the wallet is funded): one new key row is what a rejected
 * request with a key may leave behind, and nothing else.
 */
function rememberedKey(req: FuzzRequest, table: string, before: Fingerprint, after: Fingerprint): boolean {
  return table === 'ledger_idempotency' && req.headers['idempotency-key'] !== undefined && rowsAdded(before, after, table) === 1;
}

/**
 * Lets work a success started in the background finish before the next request is judged:
 * an accepted attendance import is awaited, anything else until the database stops moving.
 */
async function settle(t: Target, op: Operation, text: string, fingerprint: () => Promise<Fingerprint>) {
  if (op.key === 'POST /api/volunteering/import') {
    const id = (JSON.parse(text) as { id?: string }).id;
    if (id) await runImport(t.db, t.clock, id);
  }
  let last = await fingerprint();
  for (let quiet = 0, waited = 0; quiet < 2 && waited < 3_000; waited += 5) {
    await new Promise((r) => setTimeout(r, 5));
    const now = await fingerprint();
    quiet = changedTables(last, now).length ? 0 : quiet + 1;
    last = now;
  }
}

/** Reads pictured together; small enough that a failing chunk is easy to replay. */
const READ_CHUNK = 25;

const classOf = (status: number) => `${Math.floor(status / 100)}xx`;
const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

export async function runCampaign(t: Target, options: CampaignOptions): Promise<CampaignReport> {
  const started = performance.now();
  const docRes = await t.app.request('/api/openapi.json');
  if (docRes.status !== 200) throw new Error(`the OpenAPI document is not served: ${docRes.status}`);
  const doc = (await docRes.json()) as Parameters<typeof operationsOf>[0];
  const resolve = resolver(doc);
  const operations = operationsOf(doc).filter((op) => !options.only || op.key.includes(options.only));
  const sessions = await sessionsFor(t);
  const limits = { bodyLimitFor: (method: string, path: string) => uploadLimitFor(method, path.replaceAll(/\{[^}]+\}/g, 'x'))?.maxBytes ?? t.config.maxBodyBytes };

  const report: CampaignReport = {
    seed: options.seed,
    operations: operations.length,
    requests: 0,
    byRole: Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<RoleName, number>,
    byClass: {},
    byStatus: {},
    successesByOperation: {},
    perOperation: [],
    failures: [],
    readsThatWrote: [],
    ledger: { balanced: false, verified: false, failedChecks: [] },
    ms: 0,
    msChecking: 0,
  };

  const picture = await fingerprinter(t.db);
  const fingerprint = async () => {
    const started = performance.now();
    const fp = await picture();
    report.msChecking += performance.now() - started;
    return fp;
  };

  for (const op of operations) {
    const opStarted = performance.now();
    const pools = await loadPools(t.db);
    const requests = fc.sample(requestArbitrary(op, { resolve, pools }, limits), { seed: operationSeed(options.seed, op.key), numRuns: options.perOperation });
    const summary: OperationSummary = { operation: op.key, sent: 0, byClass: {}, ms: 0 };
    // Writes are pictured around every request; reads, which the brief lets go in batches, in
    // chunks of READ_CHUNK: a chunk with no success must leave the database as it found it.
    const perRequest = op.method !== 'GET';
    let before = await fingerprint();
    let chunk: { rejected: number; labels: Set<string> } = { rejected: 0, labels: new Set() };
    for (const [index, req] of requests.entries()) {
      const role = ROLES[index % ROLES.length]!;
      let token = role === 'anonymous' ? undefined : sessions[role].token;
      if (token && op.key === 'POST /api/auth/logout') {
        // signing out ends the session it is sent with: give it one of its own
        token = (await createSession(t.db, sessions[role as Exclude<RoleName, 'anonymous'>].userId, t.clock.now(), t.config.session.ttlHours)).token;
        before = await fingerprint();
      }
      const res = await t.app.request(req.url, requestInit(op.method, req, token));
      const text = await res.text();
      if (res.status < 300 && perRequest) await settle(t, op, text, fingerprint);

      report.requests++;
      summary.sent++;
      report.byRole[role]++;
      bump(report.byClass, classOf(res.status));
      bump(summary.byClass, classOf(res.status));
      bump(report.byStatus, String(res.status));
      if (res.status < 300) bump(report.successesByOperation, op.key);
      const fail = (why: string) =>
        report.failures.push({ operation: op.key, role, label: req.label, status: res.status, why, request: describe(op.method, req, role), answer: text.slice(0, 400), index });

      const broken = brokenPromise(res.status, res.headers.get('content-type'), text);
      if (broken) fail(broken);

      if (perRequest) {
        const after = await fingerprint();
        const changed = changedTables(before, after).filter((table) => !rememberedKey(req, table, before, after));
        before = after;
        if (res.status >= 400 && changed.length) fail(`a rejected request (${res.status}) changed ${changed.join(', ')}`);
        continue;
      }
      if (res.status >= 400) chunk.rejected++;
      chunk.labels.add(req.label);
      if ((index + 1) % READ_CHUNK === 0 || index === requests.length - 1) {
        const after = await fingerprint();
        const changed = changedTables(before, after);
        const size = (index % READ_CHUNK) + 1;
        if (changed.length && chunk.rejected === size) fail(`${size} rejected reads (requests ${index + 1 - size}–${index}) changed ${changed.join(', ')}`);
        else if (changed.length) report.readsThatWrote.push({ operation: op.key, label: [...chunk.labels].join(', '), tables: changed });
        before = after;
        chunk = { rejected: 0, labels: new Set() };
      }
    }
    summary.ms = Math.round(performance.now() - opStarted);
    report.perOperation.push(summary);
    options.onOperation?.(summary);
  }

  const balance = await trialBalance(t.db);
  const proof = await verify(t.db, t.clock.now());
  report.ledger = { balanced: balance.balanced, verified: proof.ok, failedChecks: proof.checks.filter((c) => !c.ok).map((c) => c.name) };
  report.ms = Math.round(performance.now() - started);
  report.msChecking = Math.round(report.msChecking);
  return report;
}

/** Failures grouped by operation and kind, one example each: what a person reads first. */
export function summarizeFailures(failures: Failure[]): string[] {
  const groups = new Map<string, { count: number; example: Failure }>();
  for (const f of failures) {
    const key = `${f.operation} — ${f.why.replace(/\d{3}/, (s) => s)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { count: 1, example: f });
  }
  return [...groups.entries()].map(
    ([key, { count, example }]) => `${count}× ${key}\n    request #${example.index}: ${example.request}\n    answer: ${example.answer}`,
  );
}
