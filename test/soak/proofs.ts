// What the reliability runs prove from the database and by replaying requests: acknowledged
// writes are there, nothing is half-applied, refused writes changed nothing, retries with the
// same Idempotency-Key converge, and the ledger's own proofs (trial balance, verify()) hold.

import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { trialBalance, verify } from '../../api/ledger/reads';
import { acknowledged, send, type Sent } from './load';

export interface ProofReport {
  failures: string[];
  /** Counts of what was checked, for the report. */
  checked: Record<string, number>;
}

const ids = async (db: Db, query: ReturnType<typeof sql>) => (await queryRows<{ id: string }>(db, query)).map((r) => String(r.id));

/** Invariants over the whole database, whatever requests were sent. */
export async function provePartsTogether(db: Db, now = new Date()): Promise<ProofReport> {
  const failures: string[] = [];
  const probes: Array<[string, ReturnType<typeof sql>]> = [
    ['redemption without its hold', sql`select r.id::text as id from redemptions r left join ledger_transfers t on t.id = r.hold_id where t.id is null or t.type <> 'pending'`],
    ['hold for a redemption that does not exist', sql`select t.id::text as id from ledger_transfers t where t.type = 'pending' and t.ref_type = 'redemption' and not exists (select 1 from redemptions r where r.hold_id = t.id)`],
    [
      'redemption status disagrees with its hold',
      sql`select r.id::text as id from redemptions r left join ledger_transfers res on res.pending_id = r.hold_id
           where not ((r.status = 'held' and res.id is null)
                   or (r.status = 'confirmed' and res.type = 'post_pending')
                   or (r.status in ('cancelled', 'rejected', 'expired') and res.type = 'void_pending'))`,
    ],
    ['stock is not initial minus live redemptions', sql`select o.id::text as id from offers o where o.stock_left <> o.stock_total - (select count(*) from redemptions r where r.offer_id = o.id and r.status in ('held', 'confirmed'))`],
    ['earning without its transfer (or a transfer for a zero earning)', sql`select e.id::text as id from earnings e left join ledger_transfers t on t.id = e.transfer_id where (e.points > 0) <> (t.id is not null) or (t.id is not null and t.amount <> e.points)`],
    ['earning transfer without its earning', sql`select t.id::text as id from ledger_transfers t where t.code like 'earn.%' and not exists (select 1 from earnings e where e.transfer_id = t.id)`],
    ['approved claim without its earning, or an earning for an undecided claim', sql`select c.id::text as id from volunteer_claims c left join earnings e on e.source = 'volunteering' and e.source_id = c.id::text where (c.status = 'approved') <> (e.id is not null)`],
  ];
  const checked: Record<string, number> = {};
  for (const [name, probe] of probes) {
    const bad = await ids(db, probe);
    if (bad.length) failures.push(`${name}: ${bad.length} (${bad.slice(0, 3).join(', ')})`);
  }
  const tb = await trialBalance(db);
  if (!tb.balanced) failures.push(`trial balance is not zero: posted ${tb.posted.toFixed(2)}, pending ${tb.pending.toFixed(2)}`);
  const v = await verify(db, now);
  for (const c of v.checks) if (!c.ok) failures.push(`verify(): ${c.name}: ${JSON.stringify(c.detail)}`);
  checked.postings = tb.postings;
  checked.verifyChecks = v.checks.length;
  return { failures, checked };
}

interface Row {
  [k: string]: unknown;
}

async function one(db: Db, query: ReturnType<typeof sql>): Promise<Row | undefined> {
  return (await queryRows<Row>(db, query))[0];
}

/** Every acknowledged request is in the database, and every refused keyed write left nothing. */
export async function proveAcknowledged(db: Db, sent: readonly Sent[]): Promise<ProofReport> {
  const failures: string[] = [];
  const checked: Record<string, number> = {};
  const count = (k: string) => (checked[k] = (checked[k] ?? 0) + 1);
  const touched = new Set(sent.filter((s) => s.kind === 'confirm' || s.kind === 'cancel').map((s) => s.target));
  for (const s of sent) {
    const a = s.answer as Row | null;
    if (acknowledged(s)) {
      count(`acknowledged ${s.kind}`);
      const problem = await acknowledgedProblem(db, s, a!, touched);
      if (problem) failures.push(`acknowledged ${s.kind} #${s.seq} (${s.key ?? s.target}): ${problem}`);
    } else if (s.status >= 400 && s.status < 500 && s.key) {
      count(`refused ${s.kind}`);
      const left = await keyedRow(db, s);
      if (left) failures.push(`refused ${s.kind} #${s.seq} (${s.status}) left a row behind: ${JSON.stringify(left)}`);
    }
  }
  return { failures, checked };
}

/** The row a keyed write makes, if any. */
async function keyedRow(db: Db, s: Sent): Promise<Row | undefined> {
  switch (s.kind) {
    case 'redeem':
      return one(db, sql`select id::text as id from redemptions where request_key = ${`${s.actor.id}:${s.key}`}`);
    case 'award':
      return one(db, sql`select id::text as id from earnings where source = 'award' and source_id = ${`${s.actor.id}:${s.key}`}`);
    case 'claim':
      return one(db, sql`select id::text as id from volunteer_claims where dedupe_key = ${`driver-key:${s.actor.id}:${s.key}`}`);
    default:
      return undefined;
  }
}

async function acknowledgedProblem(db: Db, s: Sent, a: Row, touched: Set<string | null>): Promise<string | null> {
  switch (s.kind) {
    case 'redeem': {
      const r = await one(db, sql`select r.id::text as id, r.status, r.price::text as price, t.id::text as hold from redemptions r left join ledger_transfers t on t.id = r.hold_id where r.request_key = ${`${s.actor.id}:${s.key}`}`);
      if (!r) return 'no redemption with its key';
      if (r.id !== a.id) return `the redemption is ${String(r.id)}, the answer said ${String(a.id)}`;
      if (!r.hold) return 'its hold is missing';
      if (r.price !== a.price) return `price ${String(r.price)} ≠ answered ${String(a.price)}`;
      if (!touched.has(r.id as string) && r.status !== 'held') return `status ${String(r.status)} though nobody confirmed or cancelled it`;
      return null;
    }
    case 'confirm':
    case 'cancel': {
      const want = s.kind === 'confirm' ? ['confirmed', 'post_pending'] : ['cancelled', 'void_pending'];
      const r = await one(db, sql`select r.status, res.type from redemptions r left join ledger_transfers res on res.pending_id = r.hold_id where r.id = ${s.target}::uuid`);
      if (!r) return 'the redemption is gone';
      if (r.status !== want[0] || r.type !== want[1]) return `status ${String(r.status)}, hold resolved by ${String(r.type)}; expected ${want.join(' / ')}`;
      return null;
    }
    case 'award': {
      const e = await one(db, sql`select e.id::text as id, e.points::text as points, t.id::text as transfer from earnings e left join ledger_transfers t on t.id = e.transfer_id where e.source = 'award' and e.source_id = ${`${s.actor.id}:${s.key}`}`);
      if (!e) return 'no earning with its key';
      if (e.id !== a.earningId || e.transfer !== a.transferId) return `earning ${String(e.id)}/${String(e.transfer)} ≠ answered ${String(a.earningId)}/${String(a.transferId)}`;
      return null;
    }
    case 'claim': {
      const c = await one(db, sql`select id::text as id from volunteer_claims where dedupe_key = ${`driver-key:${s.actor.id}:${s.key}`}`);
      if (!c) return 'no claim with its key';
      return c.id === a.id ? null : `claim ${String(c.id)} ≠ answered ${String(a.id)}`;
    }
    case 'approve': {
      const c = await one(db, sql`select c.status, e.id::text as earning from volunteer_claims c left join earnings e on e.source = 'volunteering' and e.source_id = c.id::text where c.id = ${s.target}::uuid`);
      if (!c) return 'the claim is gone';
      const payment = a.payment as Row | null;
      if (c.status !== 'approved' || !c.earning || c.earning !== payment?.earningId) return `status ${String(c.status)}, earning ${String(c.earning)} (answered ${String(payment?.earningId)})`;
      return null;
    }
  }
}

/** The answers a retry of an acknowledged request may give: the same thing, or "already done". */
const ALREADY: Partial<Record<Sent['kind'], string[]>> = {
  approve: ['claim_already_decided'],
  confirm: ['voucher_used'],
  cancel: ['redemption_not_open'],
};
/** Refusals a retry of an unacknowledged request may meet (the state moved on meanwhile). */
const REFUSALS = new Set(['claim_already_decided', 'voucher_used', 'voucher_cancelled', 'redemption_not_open', 'insufficient_funds', 'out_of_stock', 'limit_reached', 'award_too_large']);

export interface RetryReport extends ProofReport {
  retried: number;
  /** Unacknowledged requests whose retry applied them now. */
  appliedOnRetry: number;
}

const codeOf = (answer: Record<string, unknown> | null) => (answer && typeof answer.code === 'string' ? answer.code : null);
const identity = (s: Pick<Sent, 'kind'>, answer: Record<string, unknown> | null) =>
  answer ? String(s.kind === 'award' ? answer.earningId : answer.id) : null;

/**
 * Round 2 against round 1: a write round 1 applied answers the same (keyed) or "already done";
 * an unkeyed refusal stays the same refusal. A keyed refusal is not stored by the API, so its
 * retry is a new attempt and may apply now (round 1's cancels may have freed points meanwhile).
 */
function secondRoundProblem(s: Sent, f: { status: number; answer: Record<string, unknown> | null }, r: { status: number; answer: Record<string, unknown> | null }): string | null {
  const got = `${r.status} ${codeOf(r.answer) ?? identity(s, r.answer)} after ${f.status} ${codeOf(f.answer) ?? identity(s, f.answer)} in round 1`;
  const ok2 = (x: { status: number }) => x.status >= 200 && x.status < 300;
  if (ok2(f)) {
    const same = s.key ? ok2(r) && identity(s, r.answer) === identity(s, f.answer) : ALREADY[s.kind]!.includes(codeOf(r.answer) ?? '');
    return same ? null : got;
  }
  if (s.key) return null;
  return r.status === f.status && codeOf(r.answer) === codeOf(f.answer) ? null : got;
}

/**
 * Sends every write again, twice, with its key, token and body. A retry of an acknowledged write
 * answers the same thing (keyed) or "already done" (approve, confirm, cancel); a retry of an
 * unacknowledged write applies it or meets a refusal; the second round answers exactly as the
 * first (converged). No retry may fail with a 5xx or no answer.
 */
export async function proveRetriesConverge(base: string, sent: readonly Sent[], parallel = 8): Promise<RetryReport> {
  const failures: string[] = [];
  const first = new Array<{ status: number; answer: Record<string, unknown> | null }>(sent.length);
  let appliedOnRetry = 0;
  const replay = async (round: 1 | 2) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < sent.length) {
          const i = next++;
          const s = sent[i]!;
          const r = await send(base, s.actor, s.path, s.body, s.key);
          const what = `${s.kind} #${s.seq} (${s.key ?? s.target}) round ${round}`;
          if (r.status === 0 || r.status >= 500) {
            failures.push(`${what}: retry answered ${r.status} ${JSON.stringify(r.answer)?.slice(0, 200)}`);
            continue;
          }
          if (round === 2) {
            const problem = secondRoundProblem(s, first[i]!, r);
            if (problem) failures.push(`${what}: ${problem}`);
            continue;
          }
          first[i] = r;
          if (acknowledged(s)) {
            const ok = s.key ? r.status === s.status && identity(s, r.answer) === identity(s, s.answer) : ALREADY[s.kind]!.includes(codeOf(r.answer) ?? '');
            if (!ok) failures.push(`${what}: acknowledged ${s.status} ${identity(s, s.answer)}, retry ${r.status} ${codeOf(r.answer) ?? identity(s, r.answer)}`);
          } else if (s.status === 0) {
            if (r.status >= 200 && r.status < 300) appliedOnRetry++;
            else if (!REFUSALS.has(codeOf(r.answer) ?? '')) failures.push(`${what}: unanswered, retry ${r.status} ${codeOf(r.answer)}`);
          }
        }
      }),
    );
  };
  await replay(1);
  await replay(2);
  return { failures, checked: { retried: sent.length * 2 }, retried: sent.length * 2, appliedOnRetry };
}
