import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { earnings, users } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { PROGRAMME_ACCOUNTS, walletOf } from '../ledger/accounts';
import { createLedger, outcomeError } from '../ledger/ledger';
import type { EarningRow } from './earn';
import { getSetting } from './settings';

export interface AwardInput {
  driverId: string;
  points: Decimal;
  reason: string;
}

export interface Awarded {
  earning: EarningRow;
  replayed: boolean;
}

/**
 * A committee member grants points on the spot, with a reason, up to the programme's maximum.
 * Issuance pays the driver's wallet through the ledger and an `earnings` row (source `award`)
 * records it, audited, all in one transaction. The award's identity is the committee member and
 * their Idempotency-Key: a retry gets the first award back, the same key for a different award
 * is a conflict.
 */
export async function grantAward(db: Db, clock: Clock, actorId: string, input: AwardInput, idempotencyKey: string): Promise<Awarded> {
  const sourceId = `${actorId}:${idempotencyKey}`;
  const key = `award:${sourceId}`;
  const points = input.points.toDecimalPlaces(2);
  const replay = async (): Promise<Awarded | null> => {
    const [prior] = await db.select().from(earnings).where(and(eq(earnings.source, 'award'), eq(earnings.sourceId, sourceId)));
    if (!prior) return null;
    if (prior.driverId !== input.driverId || !prior.points.equals(points) || prior.reason !== input.reason) {
      throw new AppError('idempotency_conflict', 'this Idempotency-Key was already used for a different award');
    }
    return { earning: prior, replayed: true };
  };

  const earlier = await replay();
  if (earlier) return earlier;

  if (!points.greaterThan(0)) throw new AppError('invalid_amount', 'an award must be more than 0 points');
  const { maxPoints } = await getSetting(db, 'awards');
  const max = new Decimal(maxPoints);
  if (points.greaterThan(max)) {
    throw new AppError('award_too_large', `an award may be at most ${max.toFixed(2)} points (the programme maximum); this one is ${points.toFixed(2)}`);
  }
  const [driver] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, input.driverId));
  if (!driver || driver.role !== 'driver') throw new AppError('not_found', `no driver ${input.driverId}`);
  const wallet = await walletOf(db, input.driverId);
  if (!wallet) throw new AppError('not_found', `driver ${input.driverId} has no points wallet`);

  try {
    return await db.transaction(async (tx) => {
      const now = clock.now();
      const id = randomUUID();
      const outcome = await createLedger(tx, clock).run({
        op: 'transfer',
        key,
        code: 'earn.award',
        debit: PROGRAMME_ACCOUNTS.issuance,
        credit: wallet,
        amount: points,
        reason: `Instant award: ${input.reason}`,
        actorId,
        refType: 'earning',
        refId: id,
      });
      if (!outcome.ok) throw outcomeError(outcome);
      // A concurrent call with the same key committed first: its earning row is there now.
      if (outcome.replayed) throw new ReplayedAward();
      const [earning] = await tx
        .insert(earnings)
        .values({
          id,
          key,
          driverId: input.driverId,
          source: 'award',
          sourceId,
          ruleVersionId: null,
          units: '1',
          requestedUnits: '1',
          basePoints: points,
          multiplier: '1',
          grade: null,
          points,
          activityAt: now,
          transferId: outcome.transferId,
          reason: input.reason,
          actorId,
          createdAt: now,
        })
        .returning();
      await audit(tx, {
        actorId,
        action: 'earning.award',
        targetType: 'driver',
        targetId: input.driverId,
        after: { earningId: id, transferId: outcome.transferId, points: points.toFixed(2), reason: input.reason },
        at: now,
      });
      return { earning: earning!, replayed: false };
    });
  } catch (error) {
    if (error instanceof ReplayedAward || isUniqueViolation(error, 'earnings_')) {
      const first = await replay();
      if (first) return first;
      if (error instanceof ReplayedAward) throw new AppError('idempotency_conflict', 'this Idempotency-Key was already used for another ledger operation');
    }
    throw error;
  }
}

class ReplayedAward extends Error {}
