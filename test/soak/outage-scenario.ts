// A database outage under load, end to end: a throwaway PostgreSQL cluster, the real server
// process on it, a steady load of reads and writes over HTTP, PostgreSQL stopped for a while and
// started again. Used by test/reliability/db-outage.test.ts (short) and `npm run soak:outage`.
//
// What it measures, and what the callers assert:
//   - every answer while PostgreSQL is down is a 503 problem+json (`unavailable`) or a 2xx the
//     server could give without the database; none takes longer than the client's timeout
//   - /healthz says 503 `database: unreachable` while it is down
//   - after PostgreSQL is back the same server process answers 2xx again (time to recover)
//   - no 500 at any time; afterwards the trial balance is zero, verify() is green, every redeem
//     acknowledged with 2xx is in the database, and retrying the unanswered ones with their
//     Idempotency-Key gives each key exactly one redemption

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Decimal from 'decimal.js';
import { inArray, sql } from 'drizzle-orm';
import { createUser } from '../../api/auth/auth.service';
import { systemClock } from '../../api/clock';
import type { SessionUser } from '../../api/http/env';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { trialBalance, verify } from '../../api/ledger/reads';
import { approveOffer, createOffer } from '../../api/market/offers';
import { createPartner } from '../../api/partners/partners.service';
import { createDb, queryRows, type Db, type DbHandle } from '../../db/client';
import { redemptions } from '../../db/schema/index';
import { startCluster, type PgCluster } from '../support/pg-cluster';
import { startServer, type AppServer } from '../support/server-process';

export interface OutageOptions {
  /** Seconds of load before PostgreSQL is stopped. */
  warmSeconds: number;
  /** Seconds PostgreSQL stays down. */
  outageSeconds: number;
  /** Seconds of load after PostgreSQL is back (recovery included). */
  afterSeconds: number;
  /** Concurrent clients, each sending one request at a time. */
  clients: number;
  /** How PostgreSQL is stopped. */
  stopMode: 'fast' | 'immediate';
  /** A request with no answer after this long counts as a hang. */
  timeoutMs: number;
  log?: (line: string) => void;
}

type Op = 'catalog' | 'wallet' | 'redeem';
type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'after';

export interface Answer {
  op: Op;
  /** The phase it was answered in. */
  answeredIn: Phase;
  /** Which client (and so which driver's token) sent it. */
  client: number;
  phase: Phase;
  /** HTTP status, or 0 when the client gave up (timeout) or the connection failed. */
  status: number;
  problemCode: string | null;
  problemJson: boolean;
  ms: number;
  key?: string;
  redemptionId?: string;
}

export interface OutageReport {
  answers: Answer[];
  healthDuringOutage: Array<{ status: number; body: string }>;
  /** From `pg_ctl start` returning to the first 200 from /api/me/wallet on the same server. */
  recoveryMs: number | null;
  stopMs: number;
  outageMs: number;
  serverRestarted: boolean;
  serverErrors: number;
  retriedKeys: number;
  retryStatuses: Record<string, number>;
  proofs: {
    trialBalanceZero: boolean;
    verifyOk: boolean;
    verifyFailures: string[];
    acknowledgedRedeems: number;
    acknowledgedFound: number;
    keysWithOneRedemption: number;
    keysTotal: number;
  };
}

const PASSWORD = 'outage-test-password';
const FUNDING = '100000.00';

interface Scene {
  offerId: string;
  drivers: Array<{ id: string; phone: string }>;
}

async function buildScene(db: Db, drivers: number): Promise<Scene> {
  const now = systemClock.now();
  const committeeUser = await createUser(db, { role: 'committee', phone: '13800009999', name: 'Outage committee', password: PASSWORD });
  const committee: SessionUser = { id: committeeUser.id, role: 'committee', name: 'Outage committee', phone: '13800009999', partnerId: null };
  const partner = await createPartner(db, committee.id, { name: 'Outage garage', kind: 'garage', region: 'Baoan', address: '1 Harbour Road' }, now);
  const offer = await createOffer(
    db,
    committee,
    {
      partnerId: partner.id,
      category: 'repair',
      title: 'Outage offer',
      description: 'Large stock, no per-driver limit to speak of.',
      faceValue: '¥10 off',
      price: '1.00',
      stock: 1_000_000,
      perDriverLimit: 1_000_000,
      limitPeriod: 'ever',
    },
    now,
  );
  await approveOffer(db, committee, offer.id, now);

  const ledger = createLedger(db, systemClock, { batching: false });
  const list: Scene['drivers'] = [];
  for (let i = 0; i < drivers; i++) {
    const phone = `1390009${String(i).padStart(4, '0')}`;
    const user = await createUser(db, { role: 'driver', phone, name: `Outage driver ${i + 1}`, password: PASSWORD, plateNumber: `粤B·O${String(i).padStart(4, '0')}` });
    const [wallet] = await queryRows<{ id: string }>(db, sql`select id from ledger_accounts where kind = 'driver_wallet' and owner_id = ${user.id}`);
    await ledger.transfer({ key: `outage:fund:${user.id}`, code: 'award', debit: PROGRAMME_ACCOUNTS.issuance, credit: wallet!.id, amount: new Decimal(FUNDING), reason: 'outage test funding' });
    list.push({ id: user.id, phone });
  }
  return { offerId: offer.id, drivers: list };
}

async function request(base: string, op: Op, token: string, offerId: string, timeoutMs: number, key?: string) {
  const init: RequestInit = { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) };
  let path = '/api/offers';
  if (op === 'wallet') path = '/api/me/wallet';
  if (op === 'redeem') {
    path = '/api/redemptions';
    init.method = 'POST';
    init.headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key! };
    init.body = JSON.stringify({ offerId });
  }
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const problemJson = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
    let body: { code?: string; id?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as a status only
    }
    return { status: res.status, problemJson, problemCode: problemJson ? (body.code ?? null) : null, id: body.id, ms: performance.now() - started };
  } catch {
    return { status: 0, problemJson: false, problemCode: null, id: undefined, ms: performance.now() - started };
  }
}

async function login(base: string, phone: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${phone}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runOutage(options: OutageOptions): Promise<OutageReport> {
  const log = options.log ?? (() => {});
  let cluster: PgCluster | null = null;
  let server: AppServer | null = null;
  let setup: DbHandle | null = null;
  try {
    cluster = await startCluster();
    setup = await createDb({ databaseUrl: cluster.url, maxConnections: 4 });
    await setup.migrate();
    const scene = await buildScene(setup.db, options.clients);
    await setup.close();
    setup = null;

    server = await startServer({ DATABASE_URL: cluster.url, SEED: 'none' });
    const serverPid = server.pid;
    const base = server.base;
    const tokens = await Promise.all(scene.drivers.map((d) => login(base, d.phone)));
    log(`server pid ${serverPid} on ${base}; ${tokens.length} drivers signed in`);

    let phase: Phase = 'before';
    let running = true;
    const answers: Answer[] = [];
    const ops: Op[] = ['catalog', 'wallet', 'redeem'];
    const clients = tokens.map(async (token, c) => {
      for (let n = c; running; n++) {
        const op = ops[n % ops.length]!;
        const key = op === 'redeem' ? randomUUID() : undefined;
        const startedIn = phase;
        const r = await request(base, op, token, scene.offerId, options.timeoutMs, key);
        answers.push({ op, answeredIn: phase, client: c, phase: startedIn, status: r.status, problemCode: r.problemCode, problemJson: r.problemJson, ms: r.ms, key, redemptionId: r.status === 201 || r.status === 200 ? r.id : undefined });
      }
    });
    await sleep(options.warmSeconds * 1000);
    phase = 'stopping';
    const stopAt = performance.now();
    await cluster.halt(options.stopMode);
    const stopMs = performance.now() - stopAt;
    phase = 'down';
    const downAt = performance.now();
    log(`PostgreSQL stopped (-m ${options.stopMode}) in ${Math.round(stopMs)} ms`);
    await sleep(500);
    if (server.exited()) log(`the server exited: ${JSON.stringify(server.exited())}\n${server.tail()}`);

    const healthDuringOutage: OutageReport['healthDuringOutage'] = [];
    while (performance.now() - downAt < options.outageSeconds * 1000) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(options.timeoutMs) });
        healthDuringOutage.push({ status: res.status, body: await res.text() });
      } catch {
        healthDuringOutage.push({ status: 0, body: '' });
      }
      await sleep(250);
    }

    phase = 'starting';
    const outageMs = performance.now() - downAt;
    await cluster.resume();
    phase = 'after';
    const resumedAt = performance.now();
    log(`PostgreSQL started again after ${Math.round(outageMs)} ms down`);

    let recoveryMs: number | null = null;
    while (performance.now() - resumedAt < Math.max(options.afterSeconds, 30) * 1000) {
      const r = await request(base, 'wallet', tokens[0]!, scene.offerId, options.timeoutMs);
      if (r.status === 200) {
        recoveryMs = performance.now() - resumedAt;
        break;
      }
      await sleep(50);
    }
    log(`first 200 from /api/me/wallet ${recoveryMs === null ? 'never' : `${Math.round(recoveryMs)} ms`} after PostgreSQL was back`);
    const afterLeft = options.afterSeconds * 1000 - (performance.now() - resumedAt);
    if (afterLeft > 0) await sleep(afterLeft);
    running = false;
    await Promise.all(clients);

    // A redeem without a 2xx is retried by the same driver with the same Idempotency-Key.
    const unanswered = answers.filter((a) => a.op === 'redeem' && !a.redemptionId);
    const retryStatuses: Record<string, number> = {};
    for (const a of unanswered) {
      const r = await request(base, 'redeem', tokens[a.client]!, scene.offerId, options.timeoutMs, a.key);
      retryStatuses[r.status] = (retryStatuses[r.status] ?? 0) + 1;
    }

    const proofHandle = await createDb({ databaseUrl: cluster.url, maxConnections: 2 });
    try {
      const db = proofHandle.db;
      const tb = await trialBalance(db);
      const v = await verify(db, systemClock.now());
      const acked = answers.filter((a) => a.op === 'redeem' && a.redemptionId);
      const ackedIds = acked.map((a) => a.redemptionId!);
      const found = ackedIds.length === 0 ? [] : await db.select({ id: redemptions.id }).from(redemptions).where(inArray(redemptions.id, ackedIds));
      const keys = [...new Set(answers.filter((a) => a.op === 'redeem').map((a) => a.key!))];
      const perKey = await queryRows<{ key: string; n: string }>(
        db,
        sql`select split_part(request_key, ':', 2) as key, count(*)::text as n from redemptions group by 1`,
      );
      const counts = new Map(perKey.map((r) => [r.key, Number(r.n)]));
      return {
        answers,
        healthDuringOutage,
        recoveryMs,
        stopMs,
        outageMs,
        serverRestarted: server.pid !== serverPid || server.exited() !== null,
        serverErrors: server.warnings(),
        retriedKeys: unanswered.length,
        retryStatuses,
        proofs: {
          trialBalanceZero: tb.balanced,
          verifyOk: v.ok,
          verifyFailures: v.checks.filter((c) => !c.ok).map((c) => c.name),
          acknowledgedRedeems: ackedIds.length,
          acknowledgedFound: found.length,
          keysWithOneRedemption: keys.filter((k) => counts.get(k) === 1).length,
          keysTotal: keys.length,
        },
      };
    } finally {
      await proofHandle.close();
    }
  } finally {
    await setup?.close().catch(() => {});
    await server?.stop();
    await cluster?.stop();
  }
}
