import { createRoute } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { audit } from '../audit/audit';
import { currentUser, requireRole } from '../auth/middleware';
import { currentGrade } from '../rating/benefits';
import { AppError } from '../errors';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { PROGRAMME_ACCOUNTS, walletOf } from './accounts';
import { createLedger, outcomeError, type LedgerOp } from './ledger';
import {
  AccountIdParam,
  AccountView,
  AdjustmentBody,
  IdempotencyHeader,
  PageQuery,
  ReverseBody,
  Statement,
  TransferCreated,
  TransferIdParam,
  TransferListQuery,
  TransferPage,
  TrialBalance,
  VerifyReport,
  Wallet,
} from './ledger.schemas';
import { balance, lifetimeEarned, listTransfers, statement, trialBalance, verify } from './reads';
import type { Db } from '../../db/client';
import { eq } from 'drizzle-orm';
import { ledgerTransfers } from '../../db/schema/index';
import type { z } from '@hono/zod-openapi';

const driverOnly = requireRole('driver');
const committeeOnly = requireRole('committee');
const points = (d: Decimal) => d.toFixed(2);

function statementJson(s: Awaited<ReturnType<typeof statement>>): z.infer<typeof Statement> {
  return {
    nextCursor: s.nextCursor,
    lines: s.lines.map((l) => ({ ...l, amount: points(l.amount), balanceAfter: l.balanceAfter ? points(l.balanceAfter) : null })),
  };
}

async function requireWallet(db: Db, driverId: string): Promise<string> {
  const wallet = await walletOf(db, driverId);
  if (!wallet) throw new AppError('not_found', `driver ${driverId} has no wallet`);
  return wallet;
}

const walletRoute = createRoute({
  method: 'get',
  path: '/me/wallet',
  tags: ['wallet'],
  summary: 'My points: available, held, lifetime earned, grade',
  security: signedIn,
  middleware: driverOnly,
  responses: { 200: jsonContent(Wallet, 'The wallet'), ...problems(401, 403) },
});

const myStatementRoute = createRoute({
  method: 'get',
  path: '/me/statement',
  tags: ['wallet'],
  summary: 'My statement, newest first, with the running balance',
  security: signedIn,
  middleware: driverOnly,
  request: { query: PageQuery },
  responses: { 200: jsonContent(Statement, 'One page of the statement'), ...problems(401, 403) },
});

const accountRoute = createRoute({
  method: 'get',
  path: '/ledger/accounts/{id}',
  tags: ['ledger'],
  summary: 'Any ledger account: balances and statement',
  security: signedIn,
  middleware: committeeOnly,
  request: { params: AccountIdParam, query: PageQuery },
  responses: { 200: jsonContent(AccountView, 'The account'), ...problems(401, 403, 404) },
});

const transfersRoute = createRoute({
  method: 'get',
  path: '/ledger/transfers',
  tags: ['ledger'],
  summary: 'Transfers, newest first',
  security: signedIn,
  middleware: committeeOnly,
  request: { query: TransferListQuery },
  responses: {
    200: jsonContent(
      TransferPage,
      'One page of transfers',
    ),
    ...problems(401, 403),
  },
});

const adjustRoute = createRoute({
  method: 'post',
  path: '/ledger/adjustments',
  tags: ['ledger'],
  summary: "Adjust a driver's points (audited)",
  description:
    'Positive amounts credit the driver from the programme; negative amounts take points back and fail with ' +
    '`insufficient-funds` when the driver has spent them. Needs an `Idempotency-Key`.',
  security: signedIn,
  middleware: committeeOnly,
  request: { headers: IdempotencyHeader, body: jsonBody(AdjustmentBody) },
  responses: {
    201: jsonContent(TransferCreated, 'The adjustment transfer'),
    ...problems(401, 403, 404, 409, 422),
  },
});

const reverseRoute = createRoute({
  method: 'post',
  path: '/ledger/transfers/{id}/reverse',
  tags: ['ledger'],
  summary: 'Reverse a transfer with a correcting transfer (audited)',
  description: "A voucher's hold or capture and a partner's settlement are the market's to change: reversing one is 422 `not-reversible`.",
  security: signedIn,
  middleware: committeeOnly,
  request: { headers: IdempotencyHeader, params: TransferIdParam, body: jsonBody(ReverseBody) },
  responses: {
    201: jsonContent(TransferCreated, 'The reversing transfer'),
    ...problems(401, 403, 404, 409, 422),
  },
});

const trialBalanceRoute = createRoute({
  method: 'get',
  path: '/ledger/trial-balance',
  tags: ['ledger'],
  summary: 'Proof that the ledger sums to zero',
  security: signedIn,
  middleware: committeeOnly,
  responses: { 200: jsonContent(TrialBalance, 'Trial balance'), ...problems(401, 403) },
});

const verifyRoute = createRoute({
  method: 'get',
  path: '/ledger/verify',
  tags: ['ledger'],
  summary: "Check every ledger invariant against the raw rows",
  security: signedIn,
  middleware: committeeOnly,
  responses: { 200: jsonContent(VerifyReport, 'One entry per invariant'), ...problems(401, 403) },
});

/**
 * Runs a committee ledger operation and its audit entry in one transaction. A failure is still
 * committed (its idempotency record remembers it) and then reported; a replay writes no audit.
 */
async function auditedLedgerOp(
  c: { get: Context<AppEnv>['get'] },
  op: LedgerOp,
  entry: { actorId: string; action: string; targetType: string; targetId: string; after: unknown },
) {
  const outcome = await c.get('db').transaction(async (tx) => {
    const result = await createLedger(tx, c.get('clock')).run(op);
    if (result.ok && !result.replayed) {
      await audit(tx, { ...entry, after: { ...(entry.after as object), transferId: result.transferId }, at: c.get('clock').now() });
    }
    return result;
  });
  if (!outcome.ok) throw outcomeError(outcome);
  return outcome;
}

/**
 * Transfers the market keeps its own record of: a voucher's hold and capture (its redemption says
 * held, confirmed …, and the partner's statement and settlement count the capture) and a
 * settlement (its redemptions are marked settled). Reversing one here would leave that record
 * saying otherwise (a refunded voucher still settled and paid to the partner), so they are
 * changed through the market only.
 */
const MARKET_OWNED: Record<string, string> = {
  redemption: 'a voucher; an open voucher is released by cancelling or rejecting it, and a driver is refunded for a confirmed one with an adjustment',
  settlement: "a partner's settlement, whose redemptions are marked settled by it",
};

async function refuseMarketOwned(db: Db, transferId: string) {
  const [transfer] = await db.select({ refType: ledgerTransfers.refType }).from(ledgerTransfers).where(eq(ledgerTransfers.id, transferId));
  const owner = transfer?.refType ? MARKET_OWNED[transfer.refType] : undefined;
  if (owner) throw new AppError('not_reversible', `this transfer belongs to ${owner}; the market keeps its own record of it, so it is not reversed here`);
}

export const ledgerRoutes = createRouter()
  .openapi(walletRoute, async (c) => {
    const me = currentUser(c);
    const accountId = await requireWallet(c.get('db'), me.id);
    const [b, earned, grade] = await Promise.all([
      balance(c.get('db'), accountId),
      lifetimeEarned(c.get('db'), accountId),
      currentGrade(c.get('db'), me.id),
    ]);
    return c.json(
      {
        accountId,
        available: points(b.available),
        held: points(b.held),
        posted: points(b.posted),
        lifetimeEarned: points(earned),
        grade,
      },
      200,
    );
  })
  .openapi(myStatementRoute, async (c) => {
    const accountId = await requireWallet(c.get('db'), currentUser(c).id);
    return c.json(statementJson(await statement(c.get('db'), accountId, c.req.valid('query'))), 200);
  })
  .openapi(accountRoute, async (c) => {
    const { id } = c.req.valid('param');
    const b = await balance(c.get('db'), id);
    const s = await statement(c.get('db'), id, c.req.valid('query'));
    return c.json(
      {
        accountId: b.accountId,
        kind: b.kind,
        ownerId: b.ownerId,
        bounded: b.bounded,
        posted: points(b.posted),
        held: points(b.held),
        incoming: points(b.incoming),
        available: points(b.available),
        statement: statementJson(s),
      },
      200,
    );
  })
  .openapi(transfersRoute, async (c) => {
    const page = await listTransfers(c.get('db'), c.req.valid('query'));
    return c.json(
      {
        nextCursor: page.nextCursor,
        items: page.items.map((t) => ({
          ...t,
          amount: points(t.amount),
          postings: t.postings.map((p) => ({ ...p, amount: new Decimal(p.amount).toFixed(2) })),
        })),
      },
      200,
    );
  })
  .openapi(adjustRoute, async (c) => {
    const actor = currentUser(c);
    const body = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const wallet = await requireWallet(c.get('db'), body.driverId);
    const amount = new Decimal(body.amount);
    const credit = amount.isPositive();
    const outcome = await auditedLedgerOp(
      c,
      {
        op: 'transfer',
        key: `http:adjust:${actor.id}:${key}`,
        debit: credit ? PROGRAMME_ACCOUNTS.issuance : wallet,
        credit: credit ? wallet : PROGRAMME_ACCOUNTS.issuance,
        amount: amount.abs(),
        code: 'adjust',
        reason: body.reason,
        actorId: actor.id,
        refType: 'driver',
        refId: body.driverId,
      },
      { actorId: actor.id, action: 'ledger.adjust', targetType: 'driver', targetId: body.driverId, after: body },
    );
    return c.json({ transferId: outcome.transferId, replayed: outcome.replayed }, 201);
  })
  .openapi(reverseRoute, async (c) => {
    const actor = currentUser(c);
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    await refuseMarketOwned(c.get('db'), id);
    const outcome = await auditedLedgerOp(
      c,
      { op: 'reverse', key: `http:reverse:${actor.id}:${key}`, transferId: id, reason, actorId: actor.id, code: 'reversal' },
      { actorId: actor.id, action: 'ledger.reverse', targetType: 'transfer', targetId: id, after: { reason } },
    );
    return c.json({ transferId: outcome.transferId, replayed: outcome.replayed }, 201);
  })
  .openapi(trialBalanceRoute, async (c) => {
    const t = await trialBalance(c.get('db'));
    return c.json({ balanced: t.balanced, total: points(t.total), posted: points(t.posted), pending: points(t.pending), postings: t.postings }, 200);
  })
  .openapi(verifyRoute, async (c) => c.json(await verify(c.get('db'), c.get('clock').now()), 200));
