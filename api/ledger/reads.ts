import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { queryOne, queryRows, type Db } from '../../db/client';
import { AppError } from '../errors';
import { cursorCodec, isCursorTime, isCursorUuid } from '../http/cursor';
import type { TransferType } from '../../db/schema/index';
import { PROGRAMME_ACCOUNTS } from './accounts';

const dec = (v: unknown) => new Decimal(v === null || v === undefined ? 0 : String(v));
const iso = (v: unknown) => new Date(v as string | Date).toISOString();

export interface Balance {
  accountId: string;
  kind: string;
  ownerId: string | null;
  bounded: boolean;
  posted: Decimal;
  /** Points reserved by open holds on this account (outgoing). */
  held: Decimal;
  /** Points on their way in through open holds. */
  incoming: Decimal;
  /** What can be spent now: posted minus held. */
  available: Decimal;
}

/**
 * Bounded accounts read their counters; unbounded programme accounts sum their postings (they
 * keep no counters, which is what keeps them from being a hot row).
 */
export async function balance(db: Db, accountId: string): Promise<Balance> {
  const row = await queryOne<Record<string, unknown>>(
    db,
    sql`select a.id, a.kind, a.owner_id, a.bounded, a.posted, a.debits_pending, a.credits_pending,
               d.posted as d_posted, d.debits_pending as d_debits, d.credits_pending as d_credits
          from ledger_accounts a
          left join lateral (
            select coalesce(sum(p.amount) filter (where not p.pending), 0) as posted,
                   coalesce(sum(-p.amount) filter (where p.pending and p.amount < 0 and h.hold_id is not null), 0) as debits_pending,
                   coalesce(sum(p.amount) filter (where p.pending and p.amount > 0 and h.hold_id is not null), 0) as credits_pending
              from ledger_postings p
              left join ledger_open_holds h on h.hold_id = p.transfer_id
             where p.account_id = a.id and not a.bounded
          ) d on true
         where a.id = ${accountId}`,
  );
  if (!row) throw new AppError('account_not_found', `no ledger account ${accountId}`);
  const bounded = row.bounded === true;
  const posted = dec(bounded ? row.posted : row.d_posted);
  const held = dec(bounded ? row.debits_pending : row.d_debits);
  return {
    accountId: String(row.id),
    kind: String(row.kind),
    ownerId: (row.owner_id as string | null) ?? null,
    bounded,
    posted,
    held,
    incoming: dec(bounded ? row.credits_pending : row.d_credits),
    available: posted.minus(held),
  };
}

/** What a driver can spend now, from their wallet row alone (one indexed lookup), or null. */
export async function driverAvailable(db: Db, driverId: string): Promise<Decimal | null> {
  const row = await queryOne<{ available: string }>(
    db,
    sql`select posted - debits_pending as available from ledger_accounts
         where kind = 'driver_wallet' and owner_id = ${driverId}`,
  );
  return row ? dec(row.available) : null;
}

/** Posted balance and open holds as they stood at `at` (holds placed by then and not yet resolved by then). */
export async function balanceAsOf(db: Db, accountId: string, at: Date) {
  const row = await queryOne<{ posted: string; held: string }>(
    db,
    sql`select
          (select coalesce(sum(amount), 0) from ledger_postings
            where account_id = ${accountId} and not pending and created_at <= ${at.toISOString()}::timestamptz) as posted,
          (select coalesce(sum(-p.amount), 0) from ledger_postings p join ledger_transfers t on t.id = p.transfer_id
            where p.account_id = ${accountId} and t.type = 'pending' and p.amount < 0
              and t.created_at <= ${at.toISOString()}::timestamptz
              and not exists (select 1 from ledger_transfers r where r.pending_id = t.id
                               and r.created_at <= ${at.toISOString()}::timestamptz)) as held`,
  );
  const posted = dec(row?.posted);
  const held = dec(row?.held);
  return { accountId, at: at.toISOString(), posted, held, available: posted.minus(held) };
}

/** Points credited to a wallet by the programme, net of reversals. */
export async function lifetimeEarned(db: Db, accountId: string): Promise<Decimal> {
  const row = await queryOne<{ total: string }>(
    db,
    sql`select coalesce(sum(w.amount), 0) as total
          from ledger_postings w
          join ledger_postings i on i.transfer_id = w.transfer_id and i.account_id = ${PROGRAMME_ACCOUNTS.issuance} and not i.pending
         where w.account_id = ${accountId} and not w.pending`,
  );
  return dec(row?.total);
}

export interface StatementLine {
  transferId: string;
  leg: number;
  type: TransferType;
  code: string;
  reason: string | null;
  refType: string | null;
  refId: string | null;
  amount: Decimal;
  pending: boolean;
  /** Posted balance after this line (null for lines that only move held points). */
  balanceAfter: Decimal | null;
  createdAt: string;
}

interface Cursor {
  at: string;
  transferId: string;
  leg: number;
  /** Set for bounded accounts, whose lines are ordered by their sequence number. */
  seq?: number;
}

const cursors = cursorCodec<Cursor>(
  (c) =>
    isCursorTime(c.at) &&
    isCursorUuid(c.transferId) &&
    Number.isInteger(c.leg) &&
    (c.leg as number) >= 0 &&
    (c.leg as number) <= 32_767 &&
    (c.seq === undefined || Number.isSafeInteger(c.seq)),
);

/**
 * An account's lines, newest first, with the running posted balance. Bounded accounts store it
 * on each line; for programme accounts it is summed (committee-only, rarely read).
 */
export async function statement(db: Db, accountId: string, options: { cursor?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const cursor = cursors.decode(options.cursor);
  const account = await queryOne<{ bounded: boolean }>(db, sql`select bounded from ledger_accounts where id = ${accountId}`);
  if (!account) throw new AppError('account_not_found', `no ledger account ${accountId}`);
  // Wallet lines carry their position (assigned under the wallet's lock) and balance; a
  // programme account's lines are ordered by time and summed on the fly.
  const order = account.bounded
    ? sql`order by p.seq desc`
    : sql`order by p.created_at desc, p.transfer_id desc, p.leg desc`;
  const after = !cursor
    ? sql``
    : account.bounded
      ? sql`and p.seq < ${cursor.seq ?? 0}`
      : sql`and (p.created_at, p.transfer_id, p.leg) < (${cursor.at}::timestamptz, ${cursor.transferId}::uuid, ${cursor.leg}::smallint)`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select p.transfer_id, p.leg, p.seq, t.type, t.code, t.reason, t.ref_type, t.ref_id, p.amount, p.pending, p.created_at,
               ${
                 account.bounded
                   ? sql`p.balance_after`
                   : sql`case when not p.pending then (select sum(q.amount) from ledger_postings q
                                                        where q.account_id = p.account_id and not q.pending
                                                          and (q.created_at, q.transfer_id, q.leg) <= (p.created_at, p.transfer_id, p.leg)) end`
               } as balance_after
          from ledger_postings p
          join ledger_transfers t on t.id = p.transfer_id
         where p.account_id = ${accountId} ${after}
         ${order}
         limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const lines: StatementLine[] = page.map((r) => ({
    transferId: String(r.transfer_id),
    leg: Number(r.leg),
    type: r.type as TransferType,
    code: String(r.code),
    reason: (r.reason as string | null) ?? null,
    refType: (r.ref_type as string | null) ?? null,
    refId: (r.ref_id as string | null) ?? null,
    amount: dec(r.amount),
    pending: r.pending === true,
    balanceAfter: r.balance_after === null || r.balance_after === undefined ? null : dec(r.balance_after),
    createdAt: iso(r.created_at),
  }));
  const lastRow = page[page.length - 1];
  const last = lines[lines.length - 1];
  const nextCursor =
    rows.length > limit && last && lastRow
      ? cursors.encode({ at: last.createdAt, transferId: last.transferId, leg: last.leg, ...(account.bounded ? { seq: Number(lastRow.seq) } : {}) })
      : null;
  return { lines, nextCursor };
}

/** Recent transfers, newest first, optionally for one account or code. */
export async function listTransfers(
  db: Db,
  options: { cursor?: string; limit?: number; accountId?: string; code?: string } = {},
) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const cursor = cursors.decode(options.cursor);
  const conditions = [sql`true`];
  if (cursor) conditions.push(sql`(t.created_at, t.id) < (${cursor.at}::timestamptz, ${cursor.transferId}::uuid)`);
  if (options.code) conditions.push(sql`t.code = ${options.code}`);
  if (options.accountId) {
    conditions.push(sql`exists (select 1 from ledger_postings p where p.transfer_id = t.id and p.account_id = ${options.accountId})`);
  }
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select t.id, t.type, t.code, t.amount, t.reason, t.actor_id, t.ref_type, t.ref_id, t.pending_id, t.reverses_id,
               t.expires_at, t.created_at,
               (select json_agg(json_build_object('accountId', p.account_id, 'amount', p.amount::text, 'pending', p.pending) order by p.leg)
                  from ledger_postings p where p.transfer_id = t.id) as postings
          from ledger_transfers t
         where ${sql.join(conditions, sql` and `)}
         order by t.created_at desc, t.id desc
         limit ${limit + 1}`,
  );
  const items = rows.slice(0, limit).map((r) => ({
    id: String(r.id),
    type: r.type as TransferType,
    code: String(r.code),
    amount: dec(r.amount),
    reason: (r.reason as string | null) ?? null,
    actorId: (r.actor_id as string | null) ?? null,
    refType: (r.ref_type as string | null) ?? null,
    refId: (r.ref_id as string | null) ?? null,
    pendingId: (r.pending_id as string | null) ?? null,
    reversesId: (r.reverses_id as string | null) ?? null,
    expiresAt: r.expires_at ? iso(r.expires_at) : null,
    createdAt: iso(r.created_at),
    postings: ((typeof r.postings === 'string' ? JSON.parse(r.postings) : r.postings) ?? []) as Array<{ accountId: string; amount: string; pending: boolean }>,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? cursors.encode({ at: last.createdAt, transferId: last.id, leg: 0 }) : null,
  };
}

/** The whole ledger sums to zero, posted and pending alike. */
export async function trialBalance(db: Db) {
  const row = await queryOne<{ posted: string; pending: string; postings: string }>(
    db,
    sql`select coalesce(sum(amount) filter (where not pending), 0) as posted,
               coalesce(sum(amount) filter (where pending), 0) as pending,
               count(*) as postings
          from ledger_postings`,
  );
  const posted = dec(row?.posted);
  const pending = dec(row?.pending);
  const total = posted.plus(pending);
  return { balanced: posted.isZero() && pending.isZero(), total, posted, pending, postings: Number(row?.postings ?? 0) };
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  /** Up to 10 offending ids or a total, when not ok. */
  detail?: unknown;
}

/**
 * Proves the ledger's invariants from the raw rows: totals balance, every transfer balances,
 * every bounded account's counters equal its postings, nothing bounded is overdrawn, holds
 * resolve at most once, the open-hold set is exactly the unresolved holds, none of which has
 * expired (as of `now`), and no transfer is reversed twice.
 */
export async function verify(db: Db, now: Date): Promise<{ ok: boolean; checks: VerifyCheck[] }> {
  const at = now.toISOString();
  const probes: Array<[string, ReturnType<typeof sql>]> = [
    [
      'ledger sums to zero',
      sql`select 'posted ' || sum(amount) filter (where not pending) || ', pending ' || sum(amount) filter (where pending) as bad
            from ledger_postings having coalesce(sum(amount) filter (where not pending), 0) <> 0
                                    or coalesce(sum(amount) filter (where pending), 0) <> 0`,
    ],
    [
      'every transfer balances',
      sql`select transfer_id::text as bad from ledger_postings group by transfer_id, pending having sum(amount) <> 0 limit 10`,
    ],
    [
      'every transfer has postings',
      sql`select t.id::text as bad from ledger_transfers t
           where not exists (select 1 from ledger_postings p where p.transfer_id = t.id) limit 10`,
    ],
    [
      'bounded counters equal their postings',
      sql`select a.id::text as bad
            from ledger_accounts a
            left join (select account_id, sum(amount) as posted from ledger_postings where not pending group by account_id) s
              on s.account_id = a.id
            left join (select p.account_id,
                              sum(-p.amount) filter (where p.amount < 0) as debits,
                              sum(p.amount) filter (where p.amount > 0) as credits
                         from ledger_postings p
                         join ledger_transfers t on t.id = p.transfer_id and t.type = 'pending'
                        where not exists (select 1 from ledger_transfers r where r.pending_id = t.id)
                        group by p.account_id) h
              on h.account_id = a.id
            left join (select account_id, sum(amount) as net, count(*) as lines from ledger_postings group by account_id) n
              on n.account_id = a.id
           where a.bounded and (a.posted <> coalesce(s.posted, 0)
                             or a.debits_pending <> coalesce(h.debits, 0)
                             or a.credits_pending <> coalesce(h.credits, 0)
                             or a.entries <> coalesce(n.lines, 0)
                             or coalesce(n.net, 0) - coalesce(s.posted, 0) <> coalesce(h.credits, 0) - coalesce(h.debits, 0))
           limit 10`,
    ],
    [
      'no bounded account below zero',
      sql`select id::text as bad from ledger_accounts where bounded and posted - debits_pending < 0 limit 10`,
    ],
    [
      'holds resolve at most once',
      sql`select pending_id::text as bad from ledger_transfers where pending_id is not null
           group by pending_id having count(*) > 1 limit 10`,
    ],
    [
      'open holds are exactly the unresolved holds',
      sql`(select t.id::text as bad from ledger_transfers t
            where t.type = 'pending' and not exists (select 1 from ledger_transfers r where r.pending_id = t.id)
              and not exists (select 1 from ledger_open_holds h where h.hold_id = t.id) limit 10)
          union all
          (select h.hold_id::text from ledger_open_holds h
            where exists (select 1 from ledger_transfers r where r.pending_id = h.hold_id) limit 10)`,
    ],
    [
      'no expired hold still counted',
      sql`select hold_id::text as bad from ledger_open_holds where expires_at <= ${at}::timestamptz limit 10`,
    ],
    [
      'transfers reversed at most once',
      sql`select reverses_id::text as bad from ledger_transfers where reverses_id is not null
           group by reverses_id having count(*) > 1 limit 10`,
    ],
  ];
  // One round trip: each probe becomes an array of offending ids.
  const query = sql.join(
    probes.map(([name, probe], i) => sql`select ${i}::int as i, ${name}::text as name, array(${probe}) as bad`),
    sql` union all `,
  );
  const rows = await queryRows<{ i: number; name: string; bad: string[] | string }>(db, sql`${query} order by i`);
  const checks: VerifyCheck[] = rows.map((r) => {
    const bad = Array.isArray(r.bad) ? r.bad : parsePgArray(r.bad);
    return bad.length === 0 ? { name: r.name, ok: true } : { name: r.name, ok: false, detail: bad };
  });
  return { ok: checks.every((c) => c.ok), checks };
}

/** postgres.js parses text[]; PGlite may hand back the literal `{a,b}`. */
function parsePgArray(literal: string): string[] {
  const inner = literal.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((v) => v.replace(/^"|"$/g, '')) : [];
}
