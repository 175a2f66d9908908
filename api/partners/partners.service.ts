import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgerAccounts, partners } from '../../db/schema/index';
import { audit } from '../audit/audit';
import { createUser } from '../auth/auth.service';
import { AppError } from '../errors';
import { openAccount } from '../ledger/accounts';
import type { z } from '@hono/zod-openapi';
import type { CreatePartnerBody } from './partners.schemas';

type NewPartner = z.infer<typeof CreatePartnerBody>;

/** A partner and its settlement account in the ledger, created together and audited. */
export async function createPartner(db: Db, actorId: string | null, input: NewPartner, now: Date) {
  return db.transaction(async (tx) => {
    const [partner] = await tx.insert(partners).values(input).returning();
    if (!partner) throw new Error('insert returned no row');
    const settlementAccountId = await openAccount(tx, { kind: 'partner_settlement', ownerId: partner.id });
    await audit(tx, { actorId, action: 'partner.create', targetType: 'partner', targetId: partner.id, after: partner, at: now });
    // The same fields GET /api/partners lists (and the Partner schema documents): no createdAt.
    const { id, name, kind, region, address, contact, status } = partner;
    return { id, name, kind, region, address, contact, status, settlementAccountId };
  });
}

export async function listPartners(db: Db) {
  return db
    .select({
      id: partners.id,
      name: partners.name,
      kind: partners.kind,
      region: partners.region,
      address: partners.address,
      contact: partners.contact,
      status: partners.status,
      settlementAccountId: ledgerAccounts.id,
    })
    .from(partners)
    .leftJoin(ledgerAccounts, and(eq(ledgerAccounts.ownerId, partners.id), eq(ledgerAccounts.kind, sql`'partner_settlement'`)))
    .orderBy(asc(partners.name));
}

export async function addStaff(
  db: Db,
  actorId: string | null,
  partnerId: string,
  input: { phone: string; name: string; password: string },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const [partner] = await tx.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
    if (!partner) throw new AppError('not_found', `no partner ${partnerId}`);
    const user = await createUser(tx, { role: 'partner_staff', partnerId, ...input });
    await audit(tx, {
      actorId,
      action: 'partner.staff.create',
      targetType: 'user',
      targetId: user.id,
      after: { partnerId, phone: input.phone, name: input.name },
      at: now,
    });
    return user;
  });
}
