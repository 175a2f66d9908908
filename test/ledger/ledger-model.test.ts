/**
 * Model-based property test of the points ledger (issue 3, "Tests", first bullet).
 *
 * fast-check generates random sequences of ledger commands — open wallet, earn, transfer,
 * redeem, hold, post (full / partial / over the hold), void, expire (move the FakeClock and run
 * the expiry job), reverse, retry-same-key, same-key-different-body — and runs each against the
 * real ledger (SQL functions on PGlite and PostgreSQL) and against the pure reference model in
 * ./model/reference.ts. After every step: each reply equals the model's prediction (ok + amount +
 * type + ids, or the failure code; `replayed`), every account's balance equals the model, and
 * `verify()` is green. At the end of each run the expiry job sweeps the rest and the trial
 * balance must be zero.
 *
 * Two properties per backend:
 *  - direct: `createLedger(db, clock, { batching: false })`, one op per step, ≥ 10,000 ledger
 *    operations in total;
 *  - batched: the default (micro-batching) ledger, several ops submitted at once per step
 *    (Promise.all, applied in submission order), ≥ 1,000 ledger operations.
 *
 * "Ledger operations" are ledger.run() calls plus expireHolds() calls. Each property runs until
 * its operation budget is spent (numRuns is only a ceiling; runs after that are skipped, except
 * while shrinking), so the count is exact rather than expected. Runs share a database: each run
 * opens fresh wallets and a fresh partner settlement account, uses fresh idempotency keys, reads
 * the issuance account's starting balance, and ends by sweeping its holds, so verify(),
 * trialBalance() and the expiry job's count stay exact. A new database is opened every
 * ROTATE_OPS operations (verify() scans the whole ledger), when the issuance balance nears the
 * numeric(20,2) cap, and after a failed run that left the database not verifying.
 *
 * Reproduce a failure: LEDGER_MODEL_SEED=<seed> LEDGER_MODEL_PATH=<path>
 * LEDGER_MODEL_REPLAY_PATH=<replayPath> npx vitest run test/ledger/ledger-model -t '<name>'
 * (the three values are printed by fast-check with the counterexample).
 * LEDGER_MODEL_SCALE=0.1 runs a tenth of the operations.
 */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { openAccount, PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger, type Ledger, type LedgerOp, type LedgerOutcome } from '../../api/ledger/ledger';
import { balance, trialBalance, verify } from '../../api/ledger/reads';
import type { Backend, Db, DbHandle } from '../../db/client';
import { backends, describeEachBackend } from '../support/backends';
import { D, LedgerModel, type Dec, type ModelOp, type Reply } from './model/reference';

// ---------------------------------------------------------------------------------------------
// Knobs

const SCALE = Number(process.env.LEDGER_MODEL_SCALE ?? '1');
const DIRECT_BUDGET = Math.ceil(10_000 * SCALE);
const BATCHED_BUDGET = Math.ceil(1_000 * SCALE);
const DIRECT_MAX_COMMANDS = 250;
const BATCHED_MAX_COMMANDS = 40;
/** Open a new database after this many operations (verify() and balance() scan postings). */
const ROTATE_OPS = 1_000;
const MAX_WALLETS = 3;
/** Keep every counter inside numeric(20,2) (< 10^18): ops that could take one past this are skipped. */
const CAP = new D('8e17');
const MINUTE = 60_000;
/** Longer than any hold's expiry: the end-of-run sweep expires every hold with an expiry. */
const SWEEP_MS = 24 * 60 * MINUTE;

const replay = {
  seed: process.env.LEDGER_MODEL_SEED ? Number(process.env.LEDGER_MODEL_SEED) : undefined,
  path: process.env.LEDGER_MODEL_PATH || undefined,
  replayPath: process.env.LEDGER_MODEL_REPLAY_PATH || undefined,
};

// ---------------------------------------------------------------------------------------------
// Command specs: plain data, resolved against the model when they run (so they shrink well)

type AccRef = { k: 'w'; i: number } | { k: 'S' } | { k: 'I' } | { k: 'ghost'; id: string };
type AmtSpec =
  | { k: 'cents'; c: bigint }
  | { k: 'pct'; p: number }
  | { k: 'all' }
  | { k: 'allPlus' }
  | { k: 'bad'; raw: string };
type ExpSpec = { k: 'in'; m: number; s: number } | { k: 'none' } | { k: 'past'; m: number };
type HoldRef = { k: 'open'; i: number } | { k: 'any'; i: number } | { k: 'ghost'; id: string } | { k: 'nonhold'; i: number };
type PostAmt = { k: 'full' } | { k: 'exact' } | { k: 'pct'; p: number } | { k: 'over'; c: number } | { k: 'bad'; raw: string };
type TRef =
  | { k: 'reversible'; i: number }
  | { k: 'any'; i: number }
  | { k: 'reversed'; i: number }
  | { k: 'hold'; i: number }
  | { k: 'ghost'; id: string };

type OpSpec =
  | { t: 'transfer'; code: string; from: AccRef; to: AccRef; amt: AmtSpec }
  | { t: 'hold'; from: AccRef; to: AccRef; amt: AmtSpec; exp: ExpSpec }
  | { t: 'post'; hold: HoldRef; amt: PostAmt }
  | { t: 'void'; hold: HoldRef }
  | { t: 'reverse'; target: TRef }
  | { t: 'retry'; i: number }
  | { t: 'conflict'; i: number; change: 'reason' | 'amount' };

interface ExpireSpec {
  by: { k: 'minutes'; m: number } | { k: 'toHold'; i: number };
  post: { i: number; amt: PostAmt } | null;
  void: { i: number } | null;
}

const showAcc = (a: AccRef) => (a.k === 'w' ? `w${a.i}` : a.k === 'ghost' ? 'ghost' : a.k);
const showAmt = (a: AmtSpec) =>
  a.k === 'cents' ? centsToString(a.c) : a.k === 'pct' ? `${a.p}%avail` : a.k === 'bad' ? `bad(${a.raw})` : a.k;
const showPostAmt = (a: PostAmt) =>
  a.k === 'pct' ? `${a.p}%` : a.k === 'over' ? `held+${centsToString(BigInt(a.c))}` : a.k === 'bad' ? `bad(${a.raw})` : a.k;
const showHoldRef = (h: HoldRef) => (h.k === 'ghost' ? 'ghost' : `${h.k}#${h.i}`);
const showTRef = (t: TRef) => (t.k === 'ghost' ? 'ghost' : `${t.k}#${t.i}`);
const showExp = (e: ExpSpec) => (e.k === 'in' ? `+${e.m}m${e.s}s` : e.k === 'past' ? `-${e.m}m` : 'never');

function showSpec(s: OpSpec): string {
  switch (s.t) {
    case 'transfer':
      return `${s.code}(${showAcc(s.from)}→${showAcc(s.to)}, ${showAmt(s.amt)})`;
    case 'hold':
      return `hold(${showAcc(s.from)}→${showAcc(s.to)}, ${showAmt(s.amt)}, exp ${showExp(s.exp)})`;
    case 'post':
      return `post(${showHoldRef(s.hold)}, ${showPostAmt(s.amt)})`;
    case 'void':
      return `void(${showHoldRef(s.hold)})`;
    case 'reverse':
      return `reverse(${showTRef(s.target)})`;
    case 'retry':
      return `retry(#${s.i})`;
    case 'conflict':
      return `sameKeyOtherBody(#${s.i}, ${s.change})`;
  }
}

function showExpire(e: ExpireSpec): string {
  const parts = [e.by.k === 'minutes' ? `+${e.by.m}m` : `toExpiryOf(open#${e.by.i})`];
  if (e.post) parts.push(`post expired#${e.post.i} ${showPostAmt(e.post.amt)}`);
  if (e.void) parts.push(`void expired#${e.void.i}`);
  return `expire(${parts.join(', ')})`;
}

function centsToString(c: bigint): string {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const ix = fc.nat({ max: 40 });
const walletRef = fc.nat({ max: MAX_WALLETS - 1 }).map((i): AccRef => ({ k: 'w', i }));
const ghostId = fc.uuid({ version: 4 });
const TWO_53_CENTS = 2n ** 53n * 100n;

const badAmount = fc.constantFrom('0', '-5.00', '0.001', '12.345', '-0.01').map((raw): AmtSpec => ({ k: 'bad', raw }));
const centsAmt = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map((c): AmtSpec => ({ k: 'cents', c }));
const earnAmount: fc.Arbitrary<AmtSpec> = fc.oneof(
  { arbitrary: centsAmt(1n, 1n), weight: 1 },
  { arbitrary: centsAmt(1n, 100_000n), weight: 6 },
  // Beyond 2^53: 9007199254740992.00 … 9007199264740992.00 (about 40 of them fit in a database's
  // numeric(20,2) issuance balance, hence the low weight)
  { arbitrary: centsAmt(TWO_53_CENTS, TWO_53_CENTS + 10n ** 12n), weight: 1 },
  { arbitrary: badAmount, weight: 1 },
);
const spendAmount: fc.Arbitrary<AmtSpec> = fc.oneof(
  { arbitrary: centsAmt(1n, 1n), weight: 1 },
  { arbitrary: centsAmt(1n, 50_000n), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 130 }).map((p): AmtSpec => ({ k: 'pct', p })), weight: 6 },
  { arbitrary: fc.constant<AmtSpec>({ k: 'all' }), weight: 1 },
  { arbitrary: fc.constant<AmtSpec>({ k: 'allPlus' }), weight: 1 },
  { arbitrary: badAmount, weight: 1 },
);
const postAmount: fc.Arbitrary<PostAmt> = fc.oneof(
  { arbitrary: fc.constant<PostAmt>({ k: 'full' }), weight: 3 },
  { arbitrary: fc.constant<PostAmt>({ k: 'exact' }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 99 }).map((p): PostAmt => ({ k: 'pct', p })), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 1000 }).map((c): PostAmt => ({ k: 'over', c })), weight: 1 },
  { arbitrary: fc.constantFrom('0', '0.001', '-1.00').map((raw): PostAmt => ({ k: 'bad', raw })), weight: 1 },
);
const expiry: fc.Arbitrary<ExpSpec> = fc.oneof(
  {
    arbitrary: fc.record({ m: fc.integer({ min: 1, max: 240 }), s: fc.integer({ min: 0, max: 59 }) }).map((r): ExpSpec => ({ k: 'in', ...r })),
    weight: 8,
  },
  { arbitrary: fc.constant<ExpSpec>({ k: 'none' }), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 30 }).map((m): ExpSpec => ({ k: 'past', m })), weight: 1 },
);
const holdRef: fc.Arbitrary<HoldRef> = fc.oneof(
  { arbitrary: ix.map((i): HoldRef => ({ k: 'open', i })), weight: 7 },
  { arbitrary: ix.map((i): HoldRef => ({ k: 'any', i })), weight: 2 },
  { arbitrary: ghostId.map((id): HoldRef => ({ k: 'ghost', id })), weight: 1 },
  { arbitrary: ix.map((i): HoldRef => ({ k: 'nonhold', i })), weight: 1 },
);
const transferRef: fc.Arbitrary<TRef> = fc.oneof(
  { arbitrary: ix.map((i): TRef => ({ k: 'reversible', i })), weight: 6 },
  { arbitrary: ix.map((i): TRef => ({ k: 'any', i })), weight: 2 },
  { arbitrary: ix.map((i): TRef => ({ k: 'reversed', i })), weight: 2 },
  { arbitrary: ix.map((i): TRef => ({ k: 'hold', i })), weight: 1 },
  { arbitrary: ghostId.map((id): TRef => ({ k: 'ghost', id })), weight: 1 },
);

const opSpec: fc.Arbitrary<OpSpec> = fc.oneof(
  // earn: issuance → wallet
  { arbitrary: fc.record({ to: walletRef, amt: earnAmount }).map((r): OpSpec => ({ t: 'transfer', code: 'earn', from: { k: 'I' }, ...r })), weight: 6 },
  // wallet → wallet (the same wallet on both sides now and then: same_account)
  { arbitrary: fc.record({ from: walletRef, to: walletRef, amt: spendAmount }).map((r): OpSpec => ({ t: 'transfer', code: 'transfer', ...r })), weight: 5 },
  // wallet → partner settlement
  { arbitrary: fc.record({ from: walletRef, amt: spendAmount }).map((r): OpSpec => ({ t: 'transfer', code: 'redeem', to: { k: 'S' }, ...r })), weight: 3 },
  // partner settlement → wallet (an unbounded debit)
  {
    arbitrary: fc.record({ to: walletRef, amt: centsAmt(1n, 50_000n) }).map((r): OpSpec => ({ t: 'transfer', code: 'refund', from: { k: 'S' }, ...r })),
    weight: 1,
  },
  // from an account that does not exist
  {
    arbitrary: fc.record({ id: ghostId, to: walletRef }).map((r): OpSpec => ({ t: 'transfer', code: 'transfer', from: { k: 'ghost', id: r.id }, to: r.to, amt: { k: 'cents', c: 100n } })),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({
        from: fc.oneof({ arbitrary: walletRef, weight: 5 }, { arbitrary: fc.constant<AccRef>({ k: 'S' }), weight: 1 }),
        to: fc.oneof({ arbitrary: fc.constant<AccRef>({ k: 'S' }), weight: 3 }, { arbitrary: walletRef, weight: 2 }),
        amt: spendAmount,
        exp: expiry,
      })
      .map((r): OpSpec => ({ t: 'hold', ...r })),
    weight: 7,
  },
  { arbitrary: fc.record({ hold: holdRef, amt: postAmount }).map((r): OpSpec => ({ t: 'post', ...r })), weight: 5 },
  { arbitrary: holdRef.map((hold): OpSpec => ({ t: 'void', hold })), weight: 2 },
  { arbitrary: transferRef.map((target): OpSpec => ({ t: 'reverse', target })), weight: 3 },
  { arbitrary: fc.nat({ max: 400 }).map((i): OpSpec => ({ t: 'retry', i })), weight: 2 },
  {
    arbitrary: fc.record({ i: fc.nat({ max: 400 }), change: fc.constantFrom<'reason' | 'amount'>('reason', 'amount') }).map((r): OpSpec => ({ t: 'conflict', ...r })),
    weight: 1,
  },
);

const expireSpec: fc.Arbitrary<ExpireSpec> = fc.record({
  by: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 240 }).map((m) => ({ k: 'minutes' as const, m })), weight: 3 },
    { arbitrary: ix.map((i) => ({ k: 'toHold' as const, i })), weight: 2 },
  ),
  post: fc.option(fc.record({ i: ix, amt: postAmount }), { freq: 2 }),
  void: fc.option(fc.record({ i: ix }), { freq: 3 }),
});

// ---------------------------------------------------------------------------------------------
// The database sessions a property's runs share

interface Session {
  handle: DbHandle;
  owned: boolean;
  clock: FakeClock;
  ops: number;
  /** A failed run left it in a state that no longer verifies. */
  dirty: boolean;
  /** Replace it before the next run. */
  retire?: boolean;
}

class Databases {
  #current: Session;
  #opened = 0;
  constructor(
    first: DbHandle,
    private readonly open: () => Promise<DbHandle>,
  ) {
    this.#current = { handle: first, owned: false, clock: new FakeClock(), ops: 0, dirty: false };
  }
  get opened() {
    return this.#opened + 1;
  }
  async acquire(): Promise<Session> {
    const s = this.#current;
    if (s.dirty || s.retire || s.ops >= ROTATE_OPS) {
      if (s.owned) await s.handle.close();
      this.#current = { handle: await this.open(), owned: true, clock: new FakeClock(), ops: 0, dirty: false };
      this.#opened++;
    }
    return this.#current;
  }
  async close(): Promise<void> {
    if (this.#current.owned) await this.#current.handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// One run: the model, the real ledger, and the glue

interface Stats {
  runs: number;
  steps: number;
  ops: number;
  outcomes: Map<string, number>;
  /** Time spent in ledger calls, and in balance() + verify() after each step. */
  ledgerMs: number;
  checkMs: number;
}

class StepFailure extends Error {}

class Run {
  readonly model: LedgerModel;
  readonly labels = new Map<string, string>();
  readonly wallets: string[] = [];
  settlement = '';
  readonly history: ModelOp[] = [];
  readonly trace: string[] = [];
  readonly ledger: Ledger;
  readonly start: number;
  #seq = 0;
  #transfers = 0;
  #holds = 0;
  readonly tag = randomUUID().slice(0, 8);

  constructor(
    readonly session: Session,
    readonly stats: Stats,
    batching: boolean,
  ) {
    this.start = session.clock.now().getTime();
    this.model = new LedgerModel(this.start);
    this.ledger = batching ? createLedger(this.db, session.clock) : createLedger(this.db, session.clock, { batching: false });
  }

  get db(): Db {
    return this.session.handle.db;
  }

  get clock(): FakeClock {
    return this.session.clock;
  }

  static async begin(session: Session, stats: Stats, batching: boolean): Promise<Run> {
    const r = new Run(session, stats, batching);
    const issuance = await balance(r.db, PROGRAMME_ACCOUNTS.issuance);
    r.model.addAccount(PROGRAMME_ACCOUNTS.issuance, 'I', false, {
      posted: new D(issuance.posted.toFixed()),
      held: new D(issuance.held.toFixed()),
      incoming: new D(issuance.incoming.toFixed()),
    });
    r.labels.set(PROGRAMME_ACCOUNTS.issuance, 'I');
    r.settlement = await openAccount(r.db, { kind: 'partner_settlement', ownerId: randomUUID() });
    r.model.addAccount(r.settlement, 'S', false);
    r.labels.set(r.settlement, 'S');
    await r.openWallet();
    await r.openWallet();
    return r;
  }

  async openWallet(): Promise<void> {
    const id = await openAccount(this.db, { kind: 'driver_wallet', ownerId: randomUUID() });
    const label = `w${this.wallets.length}`;
    this.wallets.push(id);
    this.model.addAccount(id, label, true);
    this.labels.set(id, label);
    this.trace.push(`  open ${label}`);
  }

  label(id: string): string {
    return this.labels.get(id) ?? `?${id.slice(0, 8)}`;
  }

  nextKey(): string {
    return `model-${this.tag}-${++this.#seq}`;
  }

  // --- resolution of specs against the model ------------------------------------------------

  #account(a: AccRef): string {
    switch (a.k) {
      case 'w':
        return this.wallets[a.i % this.wallets.length]!;
      case 'S':
        return this.settlement;
      case 'I':
        return PROGRAMME_ACCOUNTS.issuance;
      case 'ghost':
        if (!this.labels.has(a.id)) this.labels.set(a.id, 'ghost');
        return a.id;
    }
  }

  #amount(a: AmtSpec, debit: string): Dec {
    const acct = this.model.accounts.get(debit);
    const avail = acct?.bounded ? this.model.available(debit) : new D('1000');
    const atLeastCent = (d: Dec) => (d.lt('0.01') ? new D('0.01') : d);
    switch (a.k) {
      case 'cents':
        return new D(centsToString(a.c));
      case 'bad':
        return new D(a.raw);
      case 'pct':
        return atLeastCent(avail.times(a.p).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN));
      case 'all':
        return atLeastCent(avail);
      case 'allPlus':
        return avail.plus('0.01');
    }
  }

  postAmount(a: PostAmt, held: Dec): string | null {
    switch (a.k) {
      case 'full':
        return null;
      case 'exact':
        return held.toFixed(2);
      case 'pct': {
        const v = held.times(a.p).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN);
        return (v.lt('0.01') ? new D('0.01') : v).toFixed(2);
      }
      case 'over':
        return held.plus(centsToString(BigInt(a.c))).toFixed(2);
      case 'bad':
        return a.raw;
    }
  }

  #pick<T>(list: T[], i: number): T | undefined {
    return list.length === 0 ? undefined : list[i % list.length];
  }

  #hold(h: HoldRef): string | undefined {
    const m = this.model;
    switch (h.k) {
      case 'open':
        return this.#pick(m.openHolds(), h.i)?.id;
      case 'any':
        return this.#pick([...m.holds.values()], h.i)?.id;
      case 'ghost':
        if (!this.labels.has(h.id)) this.labels.set(h.id, 'ghost');
        return h.id;
      case 'nonhold':
        return this.#pick([...m.transfers.values()].filter((t) => t.type !== 'pending'), h.i)?.id;
    }
  }

  #target(t: TRef): string | undefined {
    const all = [...this.model.transfers.values()];
    switch (t.k) {
      case 'reversible':
        return this.#pick(all.filter((x) => (x.type === 'posted' || x.type === 'post_pending') && !x.reversed), t.i)?.id;
      case 'any':
        return this.#pick(all, t.i)?.id;
      case 'reversed':
        return this.#pick(all.filter((x) => x.reversed), t.i)?.id;
      case 'hold':
        return this.#pick(all.filter((x) => x.type === 'pending'), t.i)?.id;
      case 'ghost':
        if (!this.labels.has(t.id)) this.labels.set(t.id, 'ghost');
        return t.id;
    }
  }

  /** The operation a spec stands for now, or undefined when there is nothing to point it at. */
  resolve(s: OpSpec, key: () => string): ModelOp | undefined {
    switch (s.t) {
      case 'transfer': {
        const debit = this.#account(s.from);
        const credit = this.#account(s.to);
        return { op: 'transfer', key: key(), code: s.code, debit, credit, amount: this.#amount(s.amt, debit).toFixed() };
      }
      case 'hold': {
        const debit = this.#account(s.from);
        const credit = this.#account(s.to);
        const now = this.model.now;
        const expiresAt = s.exp.k === 'none' ? null : s.exp.k === 'in' ? now + s.exp.m * MINUTE + s.exp.s * 1000 : now - s.exp.m * MINUTE;
        return { op: 'hold', key: key(), code: 'hold', debit, credit, amount: this.#amount(s.amt, debit).toFixed(), expiresAt };
      }
      case 'post': {
        const holdId = this.#hold(s.hold);
        if (!holdId) return undefined;
        const held = this.model.holds.get(holdId)?.amount ?? new D('1.00');
        return { op: 'post', key: key(), holdId, amount: this.postAmount(s.amt, held) };
      }
      case 'void': {
        const holdId = this.#hold(s.hold);
        return holdId ? { op: 'void', key: key(), holdId } : undefined;
      }
      case 'reverse': {
        const transferId = this.#target(s.target);
        return transferId ? { op: 'reverse', key: key(), transferId } : undefined;
      }
      case 'retry':
        return this.#pick(this.history, s.i);
      case 'conflict': {
        const orig = this.#pick(this.history, s.i);
        return orig ? otherBody(orig, s.change) : undefined;
      }
    }
  }

  /** Would these ops keep every counter inside numeric(20,2)? (Replays and conflicts move nothing.) */
  fits(ops: ModelOp[]): boolean {
    let volume = new D(0);
    for (const op of ops) if (!this.model.idempotency.has(op.key)) volume = volume.plus(this.model.volumeOf(op));
    return this.model.headroomNeeded(volume).lte(CAP);
  }

  // --- execution ------------------------------------------------------------------------------

  /** Submits ops (one after another, or all at once) and checks every reply against the model. */
  async submit(ops: ModelOp[], concurrently: boolean): Promise<void> {
    const real = ops.map(toLedgerOp);
    const t0 = performance.now();
    let replies: LedgerOutcome[];
    if (concurrently) {
      replies = await Promise.all(real.map((op) => this.ledger.run(op)));
    } else {
      replies = [];
      for (const op of real) replies.push(await this.ledger.run(op));
    }
    this.stats.ledgerMs += performance.now() - t0;
    this.stats.ops += ops.length;
    this.session.ops += ops.length;
    ops.forEach((op, i) => this.#check(op, replies[i]!, concurrently ? ` (${i + 1}/${ops.length} of one batch)` : ''));
  }

  #check(op: ModelOp, reply: LedgerOutcome, note: string): void {
    const fresh = reply.ok && !reply.replayed && !this.model.transfers.has(reply.transferId) && !this.labels.has(reply.transferId);
    let label = '';
    if (reply.ok && !reply.replayed && !this.labels.has(reply.transferId)) {
      label = op.op === 'hold' ? `h${this.#holds++}` : `t${this.#transfers++}`;
      this.labels.set(reply.transferId, label);
    }
    const expected = this.model.apply(op, reply.ok ? reply.transferId : 'none', label);
    this.history.push(op);
    const want = this.showReply(expected);
    const got = this.showReply(reply);
    const line = `  ${this.showOp(op)}${note} ⇒ ${got}`;
    this.trace.push(line);
    this.count((expected.ok ? `ok:${op.op}` : expected.code) + (expected.replayed ? ' (replayed)' : ''));
    if (want !== got) this.fail(`reply differs from the model\n    model:  ${want}\n    ledger: ${got}`);
    if (expected.ok && !expected.replayed && !fresh) this.fail(`a new transfer reused the id ${reply.ok ? reply.transferId : ''}`);
  }

  count(kind: string): void {
    this.stats.outcomes.set(kind, (this.stats.outcomes.get(kind) ?? 0) + 1);
  }

  showReply(r: Reply | LedgerOutcome): string {
    if (!r.ok) return `${r.code}${r.replayed ? ' (replayed)' : ''}`;
    const amount = typeof r.amount === 'string' ? new D(r.amount).toFixed(2) : r.amount.toFixed(2);
    const at = typeof r.createdAt === 'number' ? r.createdAt : r.createdAt.getTime();
    const parts = [`ok ${r.type} ${amount}`, `id=${this.label(r.transferId)}`];
    if (r.holdId) parts.push(`hold=${this.label(r.holdId)}`);
    if (r.reverses) parts.push(`reverses=${this.label(r.reverses)}`);
    parts.push(`at=${this.showTime(at)}`);
    if (r.replayed) parts.push('(replayed)');
    return parts.join(' ');
  }

  showTime(ms: number): string {
    const d = ms - this.start;
    return `+${Math.floor(d / MINUTE)}m${Math.floor((d % MINUTE) / 1000)}s`;
  }

  showOp(op: ModelOp): string {
    const key = `[${op.key.slice(op.key.lastIndexOf('-') + 1)}]`;
    switch (op.op) {
      case 'transfer':
        return `${key} ${op.code} ${this.label(op.debit)}→${this.label(op.credit)} ${op.amount}${op.reason ? ` reason=${op.reason}` : ''}`;
      case 'hold':
        return `${key} hold ${this.label(op.debit)}→${this.label(op.credit)} ${op.amount} expires ${op.expiresAt === null ? 'never' : this.showTime(op.expiresAt)}${op.reason ? ` reason=${op.reason}` : ''}`;
      case 'post':
        return `${key} post ${this.label(op.holdId)} ${op.amount ?? 'full'}${op.reason ? ` reason=${op.reason}` : ''}`;
      case 'void':
        return `${key} void ${this.label(op.holdId)}${op.reason ? ` reason=${op.reason}` : ''}`;
      case 'reverse':
        return `${key} reverse ${this.label(op.transferId)}${op.reason ? ` reason=${op.reason}` : ''}`;
    }
  }

  /** Moves the clock (model and FakeClock together). */
  advanceTo(ms: number): void {
    if (ms < this.model.now) return;
    this.clock.set(new Date(ms));
    this.model.now = ms;
    this.trace.push(`  clock → ${this.showTime(ms)}`);
  }

  async expireHolds(): Promise<void> {
    const due = this.model.expireHolds();
    const n = await this.ledger.expireHolds();
    this.stats.ops += 1;
    this.session.ops += 1;
    this.trace.push(`  expireHolds() ⇒ ${n} (model: ${due.length}: ${due.map((h) => h.label).join(' ') || '-'})`);
    this.count('expireHolds');
    if (n !== due.length) this.fail(`expireHolds() voided ${n} holds, the model expected ${due.length}`);
  }

  /** Every account's balance equals the model; verify() is green. */
  async checkState(): Promise<void> {
    const accounts = [...this.model.accounts.values()];
    const t0 = performance.now();
    // Concurrent reads: PostgreSQL spreads them over the pool; PGlite queues them.
    const [reads, proof] = await Promise.all([
      Promise.all(accounts.map((a) => balance(this.db, a.id))),
      verify(this.db, this.clock.now()),
    ]);
    this.stats.checkMs += performance.now() - t0;
    const problems: string[] = [];
    accounts.forEach((a, i) => {
      const b = reads[i]!;
      const want = `posted ${a.posted.toFixed(2)} held ${a.held.toFixed(2)} incoming ${a.incoming.toFixed(2)} available ${a.posted.minus(a.held).toFixed(2)}`;
      const got = `posted ${b.posted.toFixed(2)} held ${b.held.toFixed(2)} incoming ${b.incoming.toFixed(2)} available ${b.available.toFixed(2)}`;
      if (want !== got) problems.push(`balance of ${a.label}:\n    model:  ${want}\n    ledger: ${got}`);
    });
    if (!proof.ok) problems.push(`verify() failed: ${JSON.stringify(proof.checks.filter((c) => !c.ok))}`);
    if (problems.length) this.fail(problems.join('\n  '));
  }

  /** The end of a run: sweep every hold that has an expiry, then the whole ledger must balance. */
  async finish(): Promise<void> {
    this.trace.push('  -- end of run: sweep');
    this.advanceTo(this.model.now + SWEEP_MS);
    await this.expireHolds();
    await this.checkState();
    const tb = await trialBalance(this.db);
    if (!tb.balanced) this.fail(`trial balance is off: posted ${tb.posted.toFixed()}, pending ${tb.pending.toFixed()}`);
  }

  fail(message: string): never {
    const tail = this.trace.slice(-60);
    throw new StepFailure(
      `${message}\n\nthis run (${this.trace.length} lines${tail.length < this.trace.length ? ', last 60' : ''}):\n${tail.join('\n')}`,
    );
  }
}

/** The same key with a different request body. */
function otherBody(op: ModelOp, change: 'reason' | 'amount'): ModelOp {
  if (change === 'amount') {
    if (op.op === 'transfer' || op.op === 'hold') return { ...op, amount: new D(op.amount).plus('0.01').toFixed() };
    if (op.op === 'post') return { ...op, amount: op.amount === null ? '0.01' : new D(op.amount).plus('0.01').toFixed() };
  }
  return { ...op, reason: `${op.reason ?? 'changed'}!` };
}

function toLedgerOp(op: ModelOp): LedgerOp {
  switch (op.op) {
    case 'transfer':
      return { ...op, amount: new Decimal(op.amount) };
    case 'hold':
      return { ...op, amount: new Decimal(op.amount), expiresAt: op.expiresAt === null ? null : new Date(op.expiresAt) };
    case 'post':
      return { ...op, amount: op.amount === null ? null : new Decimal(op.amount) };
    case 'void':
    case 'reverse':
      return { ...op };
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

type Cmd = fc.AsyncCommand<Run, Run>;

class OpenWallet implements Cmd {
  check(r: Readonly<Run>) {
    return r.wallets.length < MAX_WALLETS;
  }
  async run(_m: Run, r: Run) {
    await r.openWallet();
    r.stats.steps++;
    await r.checkState();
  }
  toString() {
    return 'open()';
  }
}

/** One op (direct property) or several submitted at once (batched property). */
class Ops implements Cmd {
  constructor(
    readonly specs: OpSpec[],
    readonly echo: 'none' | 'same' | 'conflict' = 'none',
  ) {}
  #resolveAll(r: Run, key: () => string): ModelOp[] {
    const ops = this.specs.map((s) => r.resolve(s, key)).filter((o): o is ModelOp => o !== undefined);
    if (ops.length > 0 && this.echo === 'same') ops.push(ops[0]!);
    if (ops.length > 0 && this.echo === 'conflict') ops.push(otherBody(ops[0]!, 'amount'));
    return ops;
  }
  check(r: Readonly<Run>) {
    const ops = this.#resolveAll(r as Run, () => 'probe');
    return ops.length > 0 && (r as Run).fits(ops);
  }
  async run(_m: Run, r: Run) {
    const ops = this.#resolveAll(r, () => r.nextKey());
    r.stats.steps++;
    await r.submit(ops, ops.length > 1);
    await r.checkState();
  }
  toString() {
    if (this.specs.length === 1 && this.echo === 'none') return showSpec(this.specs[0]!);
    return `batch[${this.specs.map(showSpec).join('; ')}${this.echo === 'none' ? '' : `; echo first (${this.echo})`}]`;
  }
}

class Expire implements Cmd {
  constructor(
    readonly spec: ExpireSpec,
    readonly concurrently: boolean,
  ) {}
  check() {
    return true;
  }
  async run(_m: Run, r: Run) {
    r.stats.steps++;
    const m = r.model;
    let to = m.now;
    if (this.spec.by.k === 'minutes') to = m.now + this.spec.by.m * MINUTE;
    else {
      const future = m.openHolds().filter((h) => h.expiresAt !== null && h.expiresAt > m.now);
      const h = future[this.spec.by.i % Math.max(future.length, 1)];
      if (h) to = h.expiresAt!;
    }
    r.advanceTo(to);
    // Between the clock passing an expiry and the job: a post must fail, a void still works.
    const expired = () => m.openHolds().filter((h) => h.expiresAt !== null && h.expiresAt <= m.now);
    const ops: ModelOp[] = [];
    const post = this.spec.post;
    const postTarget = post ? expired()[post.i % Math.max(expired().length, 1)] : undefined;
    if (post && postTarget) ops.push({ op: 'post', key: r.nextKey(), holdId: postTarget.id, amount: r.postAmount(post.amt, postTarget.amount) });
    const voidable = expired();
    const voidTarget = this.spec.void ? voidable[this.spec.void.i % Math.max(voidable.length, 1)] : undefined;
    if (voidTarget) ops.push({ op: 'void', key: r.nextKey(), holdId: voidTarget.id });
    if (ops.length) await r.submit(ops, this.concurrently && ops.length > 1);
    await r.expireHolds();
    await r.checkState();
  }
  toString() {
    return showExpire(this.spec);
  }
}

// ---------------------------------------------------------------------------------------------
// The property

interface PropertyConfig {
  name: string;
  batching: boolean;
  budget: number;
  maxCommands: number;
  /** A ceiling only: runs stop executing once the budget is spent. */
  maxRuns: number;
  commands: fc.Arbitrary<Cmd>[];
}

const directCommands: fc.Arbitrary<Cmd>[] = [
  fc.constant(null).map(() => new OpenWallet()),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  opSpec.map((s) => new Ops([s])),
  expireSpec.map((e) => new Expire(e, false)),
];

const batchedCommands: fc.Arbitrary<Cmd>[] = [
  fc.constant(null).map(() => new OpenWallet()),
  opSpec.map((s) => new Ops([s])),
  ...Array.from({ length: 5 }, () =>
    fc
      .record({
        specs: fc.array(opSpec, { minLength: 1, maxLength: 6 }),
        echo: fc.constantFrom<'none' | 'same' | 'conflict'>('none', 'none', 'same', 'conflict'),
      })
      .map(({ specs, echo }) => new Ops(specs, echo)),
  ),
  expireSpec.map((e) => new Expire(e, true)),
];

async function runProperty(config: PropertyConfig, backend: Backend, first: DbHandle): Promise<Stats> {
  const opener = backends().find((b) => b.backend === backend)!;
  const dbs = new Databases(first, () => opener.open());
  const stats: Stats = { runs: 0, steps: 0, ops: 0, outcomes: new Map(), ledgerMs: 0, checkMs: 0 };
  let failing = false;
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(config.commands, { maxCommands: config.maxCommands, size: 'max', replayPath: replay.replayPath }),
        async (cmds) => {
          // The budget is spent: the remaining runs are skipped (but never while shrinking).
          if (stats.ops >= config.budget && !failing) return;
          const session = await dbs.acquire();
          const run = await Run.begin(session, stats, config.batching);
          stats.runs++;
          // The issuance account's balance carries over between runs: keep it far from the cap.
          if (run.model.accounts.get(PROGRAMME_ACCOUNTS.issuance)!.posted.abs().gt(CAP.div(2))) session.retire = true;
          try {
            await fc.asyncModelRun(() => ({ model: run, real: run }), cmds);
            await run.finish();
          } catch (error) {
            failing = true;
            await salvage(run);
            throw error;
          }
        },
      ),
      { numRuns: config.maxRuns, seed: replay.seed, path: replay.path },
    );
  } finally {
    await dbs.close();
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const outcomes = [...stats.outcomes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
  console.log(
    `[ledger-model] ${config.name} [${backend}]: ${stats.ops} ledger operations in ${stats.steps} steps over ${stats.runs} runs, ` +
      `${dbs.opened} database(s), ${secs} s (ledger calls ${(stats.ledgerMs / 1000).toFixed(1)} s, ` +
      `balance()+verify() ${(stats.checkMs / 1000).toFixed(1)} s)\n  outcomes: ${outcomes.join(', ')}`,
  );
  return stats;
}

/** After a failed run: expire its holds; if the database no longer verifies, the next run gets a new one. */
async function salvage(run: Run): Promise<void> {
  try {
    run.clock.advance(SWEEP_MS);
    await run.ledger.expireHolds();
    const [proof, tb] = await Promise.all([verify(run.db, run.clock.now()), trialBalance(run.db)]);
    if (!proof.ok || !tb.balanced) run.session.dirty = true;
  } catch {
    run.session.dirty = true;
  }
}

describeEachBackend('ledger model-based property', (db, backend) => {
  const total = { ops: 0, steps: 0, started: 0 };
  beforeAll(() => {
    total.started = Date.now();
  });
  const tally = (stats: Stats) => {
    total.ops += stats.ops;
    total.steps += stats.steps;
  };
  afterAll(() => {
    console.log(
      `[ledger-model] [${backend}] total: ${total.ops} ledger operations in ${total.steps} steps, ` +
        `${((Date.now() - total.started) / 1000).toFixed(1)} s`,
    );
  });

  it('direct path: replies, balances and verify() match the reference model after every step', { timeout: 30 * 60_000 }, async () => {
    const stats = await runProperty(
      { name: 'direct', batching: false, budget: DIRECT_BUDGET, maxCommands: DIRECT_MAX_COMMANDS, maxRuns: 400, commands: directCommands },
      backend,
      db(),
    );
    tally(stats);
    expect(stats.ops).toBeGreaterThanOrEqual(DIRECT_BUDGET);
    expect((await trialBalance(db().db)).balanced).toBe(true);
  });

  it('micro-batched path: concurrent submissions apply in submission order, as the model predicts', { timeout: 30 * 60_000 }, async () => {
    const stats = await runProperty(
      { name: 'batched', batching: true, budget: BATCHED_BUDGET, maxCommands: BATCHED_MAX_COMMANDS, maxRuns: 200, commands: batchedCommands },
      backend,
      db(),
    );
    tally(stats);
    expect(stats.ops).toBeGreaterThanOrEqual(BATCHED_BUDGET);
    expect((await trialBalance(db().db)).balanced).toBe(true);
  });
});
