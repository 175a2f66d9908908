import { z } from '@hono/zod-openapi';

/** Points on the wire: a decimal string with at most two places, never a JSON number. */
export const Points = z
  .string()
  .regex(/^\d{1,18}(\.\d{1,2})?$/, 'points are a decimal string like "12.50" (at most 2 decimal places)')
  .openapi({ example: '120.50' });

export const SignedPoints = z
  .string()
  .regex(/^-?\d{1,18}(\.\d{1,2})?$/, 'an amount is a decimal string like "-12.50" (at most 2 decimal places)')
  .refine((s) => !/^-?0+(\.0+)?$/.test(s), 'an adjustment cannot be zero')
  .openapi({ example: '-25.00', description: 'Positive credits the driver, negative debits them' });

const Uuid = (what: string) => z.string().uuid(`${what} is a UUID`);

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8, 'Idempotency-Key needs at least 8 characters')
    .max(200)
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Any unique string per intended operation; a retry with the same key returns the first result',
      example: '5f0c4a3e-1d2b-4c9a-8e7f-6a5b4c3d2e1f',
    }),
});

export const Wallet = z
  .object({
    accountId: Uuid('accountId'),
    available: Points.openapi({ description: 'Spendable now: posted minus held' }),
    held: Points.openapi({ description: 'Reserved by vouchers not yet confirmed, cancelled or expired' }),
    posted: Points,
    lifetimeEarned: Points.openapi({ description: 'Everything the programme has credited, net of corrections' }),
    grade: z
      .enum(['AAA', 'AA', 'A', 'B'])
      .openapi({ description: 'Credit rating in force; B for a driver not graded yet' }),
  })
  .openapi('Wallet');

export const StatementLine = z
  .object({
    transferId: Uuid('transferId'),
    leg: z.number().int(),
    type: z.enum(['posted', 'pending', 'post_pending', 'void_pending']),
    code: z.string().openapi({ example: 'earn' }),
    reason: z.string().nullable(),
    refType: z.string().nullable(),
    refId: z.string().nullable(),
    amount: SignedPoints.openapi({ description: 'Signed: positive in, negative out' }),
    pending: z.boolean().openapi({ description: 'True for lines that reserve or release held points' }),
    balanceAfter: Points.nullable().openapi({ description: 'Posted balance after this line' }),
    createdAt: z.string().datetime(),
  })
  .openapi('StatementLine');

export const Statement = z
  .object({
    lines: z.array(StatementLine),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next (older) page' }),
  })
  .openapi('Statement');

export const PageQuery = z.object({
  cursor: z.string().max(500).optional().openapi({ description: 'From the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
});

export const AccountIdParam = z.object({
  id: Uuid('account id').openapi({ param: { name: 'id', in: 'path' } }),
});

export const TransferIdParam = z.object({
  id: Uuid('transfer id').openapi({ param: { name: 'id', in: 'path' } }),
});

export const AccountView = z
  .object({
    accountId: Uuid('accountId'),
    kind: z.string().openapi({ example: 'driver_wallet' }),
    ownerId: z.string().uuid().nullable(),
    bounded: z.boolean().openapi({ description: 'Bounded accounts may never go below zero counting holds' }),
    posted: SignedPoints,
    held: Points,
    incoming: Points,
    available: SignedPoints,
    statement: Statement,
  })
  .openapi('LedgerAccount');

export const TransferView = z
  .object({
    id: Uuid('id'),
    type: z.enum(['posted', 'pending', 'post_pending', 'void_pending']),
    code: z.string(),
    amount: Points,
    reason: z.string().nullable(),
    actorId: z.string().uuid().nullable(),
    refType: z.string().nullable(),
    refId: z.string().nullable(),
    pendingId: z.string().uuid().nullable(),
    reversesId: z.string().uuid().nullable(),
    expiresAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    postings: z.array(z.object({ accountId: z.string().uuid(), amount: SignedPoints, pending: z.boolean() })),
  })
  .openapi('Transfer');

export const TransferListQuery = PageQuery.extend({
  accountId: Uuid('accountId').optional(),
  code: z.string().max(40).optional().openapi({ example: 'adjust' }),
});

export const AdjustmentBody = z
  .object({
    driverId: Uuid('driverId'),
    amount: SignedPoints,
    reason: z.string().trim().min(3, 'say why, in at least 3 characters').max(500),
  })
  .openapi('AdjustmentBody');

export const ReverseBody = z
  .object({ reason: z.string().trim().min(3, 'say why, in at least 3 characters').max(500) })
  .openapi('ReverseBody');

export const TransferCreated = z
  .object({
    transferId: Uuid('transferId'),
    replayed: z.boolean().openapi({ description: 'True when this answers an earlier request with the same Idempotency-Key' }),
  })
  .openapi('TransferCreated');

export const TrialBalance = z
  .object({
    balanced: z.boolean(),
    total: SignedPoints.openapi({ description: 'Sum of every posting; zero when balanced' }),
    posted: SignedPoints,
    pending: SignedPoints,
    postings: z.number().int(),
  })
  .openapi('TrialBalance');

export const VerifyReport = z
  .object({
    ok: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.unknown().optional() })),
  })
  .openapi('LedgerVerifyReport');

export const TransferPage = z
  .object({ items: z.array(TransferView), nextCursor: z.string().nullable() })
  .openapi('TransferPage');
