import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgerAccounts, type AccountKind } from '../../db/schema/index';

/** Programme accounts created by the migration; their ids never change. */
export const PROGRAMME_ACCOUNTS = {
  issuance: '00000000-0000-4000-8000-000000000001',
  settled: '00000000-0000-4000-8000-000000000002',
  expired: '00000000-0000-4000-8000-000000000003',
} as const;

/** Driver wallets may never go below zero; everything the programme owns is unbounded. */
const BOUNDED: Record<AccountKind, boolean> = {
  driver_wallet: true,
  issuance: false,
  partner_settlement: false,
  settled: false,
  expired: false,
};

export interface OpenAccountInput {
  kind: AccountKind;
  ownerId: string | null;
}

/** Opens the account of this kind for this owner, or returns the one already open. */
export async function openAccount(db: Db, input: OpenAccountInput): Promise<string> {
  const [created] = await db
    .insert(ledgerAccounts)
    .values({ kind: input.kind, ownerId: input.ownerId, bounded: BOUNDED[input.kind] })
    .onConflictDoNothing()
    .returning({ id: ledgerAccounts.id });
  if (created) return created.id;
  const id = await findAccount(db, input);
  if (!id) throw new Error(`account ${input.kind}/${input.ownerId} neither created nor found`);
  return id;
}

export async function findAccount(db: Db, input: OpenAccountInput): Promise<string | undefined> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.kind, input.kind),
        input.ownerId === null ? isNull(ledgerAccounts.ownerId) : eq(ledgerAccounts.ownerId, input.ownerId),
      ),
    );
  return row?.id;
}

export function walletOf(db: Db, driverId: string) {
  return findAccount(db, { kind: 'driver_wallet', ownerId: driverId });
}
