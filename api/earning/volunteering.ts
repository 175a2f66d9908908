import Decimal from 'decimal.js';
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { earnings, users, volunteerClaims, type ClaimStatus } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { nextTimeIdCursor, timeIdCursors } from '../http/cursor';
import type { SessionUser } from '../http/env';
import { earn, localDate, localMidnight, type EarnResult } from './earn';
import { storePhoto } from './photos';
import { onDriverActivity } from '../rating/engine';

export type ClaimRow = typeof volunteerClaims.$inferSelect;

/** A claim as the API shows it: the driver it belongs to and what approval paid. */
export interface ClaimView extends ClaimRow {
  driverName: string;
  driverPhone: string;
  payment: {
    earningId: string;
    points: Decimal;
    units: string;
    ruleVersionId: string | null;
    transferId: string | null;
  } | null;
}

export interface ClaimInput {
  event: string;
  date: string;
  hours: string;
  organiser?: string | null;
  /** Evidence: checked and stored by `storePhoto`, in the claim's transaction. */
  photo?: File | Uint8Array | null;
}

/** The earning input for a claim: paid as hours on the local day it happened. */
function claimEarnInput(claim: Pick<ClaimRow, 'id' | 'driverId' | 'event' | 'activityDate' | 'hours'>, actorId: string | null) {
  return {
    driverId: claim.driverId,
    source: 'volunteering' as const,
    sourceId: claim.id,
    activityAt: localMidnight(claim.activityDate),
    units: new Decimal(claim.hours),
    actorId,
    reason: `Volunteering: ${claim.event} (${claim.activityDate})`,
  };
}

function futureDate(date: string, clock: Clock): AppError {
  return new AppError('validation_failed', `date: ${date} is in the future; claim volunteering after it happened`, {
    fields: [{ path: 'date', message: `must be on or before today (${localDate(clock.now())}, programme time)` }],
  });
}

/**
 * A driver's claim, waiting for the committee. A photo is checked before anything is written
 * and stored in the same transaction as the claim: a refused photo stores neither.
 */
/**
 * Files a driver's claim. With an Idempotency-Key a repeat (a phone retrying after a dropped
 * connection) gets the claim the first call made instead of a second claim for the same hours;
 * the same key on a different claim is a 409. The key is kept in the claim's `dedupe_key`,
 * written in the same transaction as the claim.
 */
export async function submitClaim(
  db: Db,
  clock: Clock,
  driverId: string,
  input: ClaimInput,
  idempotencyKey?: string,
): Promise<ClaimRow> {
  if (input.date > localDate(clock.now())) throw futureDate(input.date, clock);
  const dedupeKey = idempotencyKey ? `driver-key:${driverId}:${idempotencyKey}` : null;
  if (dedupeKey) {
    const first = await claimByDedupeKey(db, dedupeKey);
    if (first) return sameClaim(first, input);
  }
  try {
    return await db.transaction(async (tx) => {
      const now = clock.now();
      const photoId = input.photo ? await storePhoto(tx, driverId, input.photo, now) : null;
      const [claim] = await tx
        .insert(volunteerClaims)
        .values({
          driverId,
          event: input.event,
          organiser: input.organiser ?? null,
          activityDate: input.date,
          hours: input.hours,
          photoId,
          status: 'submitted',
          dedupeKey,
          createdAt: now,
        })
        .returning();
      return claim!;
    });
  } catch (error) {
    // Two copies of one request racing: the loser answers with the winner's claim.
    if (dedupeKey && isUniqueViolation(error, 'volunteer_claims_dedupe_key')) {
      const first = await claimByDedupeKey(db, dedupeKey);
      if (first) return sameClaim(first, input);
    }
    throw error;
  }
}

async function claimByDedupeKey(db: Db, dedupeKey: string): Promise<ClaimRow | undefined> {
  const [row] = await db.select().from(volunteerClaims).where(eq(volunteerClaims.dedupeKey, dedupeKey)).limit(1);
  return row;
}

/** The first claim made with this key, if `input` asks for the same thing; else a 409. */
function sameClaim(first: ClaimRow, input: ClaimInput): ClaimRow {
  const same =
    first.event === input.event &&
    first.activityDate === input.date &&
    new Decimal(first.hours).eq(input.hours) &&
    (first.organiser ?? null) === (input.organiser ?? null) &&
    (first.photoId !== null) === Boolean(input.photo);
  if (!same) throw new AppError('idempotency_conflict', 'this Idempotency-Key was used for a different claim');
  return first;
}

const viewColumns = {
  claim: volunteerClaims,
  driverName: users.name,
  driverPhone: users.phone,
  earningId: earnings.id,
  points: earnings.points,
  units: earnings.units,
  ruleVersionId: earnings.ruleVersionId,
  transferId: earnings.transferId,
};

type ViewRow = {
  claim: ClaimRow;
  driverName: string;
  driverPhone: string;
  earningId: string | null;
  points: Decimal | null;
  units: string | null;
  ruleVersionId: string | null;
  transferId: string | null;
};

function toView(r: ViewRow): ClaimView {
  return {
    ...r.claim,
    driverName: r.driverName,
    driverPhone: r.driverPhone,
    payment: r.earningId
      ? { earningId: r.earningId, points: r.points!, units: r.units!, ruleVersionId: r.ruleVersionId, transferId: r.transferId }
      : null,
  };
}

function viewQuery(db: Db) {
  return db
    .select(viewColumns)
    .from(volunteerClaims)
    .innerJoin(users, eq(users.id, volunteerClaims.driverId))
    .leftJoin(earnings, and(eq(earnings.source, 'volunteering'), eq(earnings.sourceId, sql`${volunteerClaims.id}::text`)));
}

export async function findClaim(db: Db, id: string): Promise<ClaimView | undefined> {
  const [row] = await viewQuery(db).where(eq(volunteerClaims.id, id));
  return row ? toView(row) : undefined;
}

/** One claim: the committee sees any, a driver only their own (others' are "not found"). */
export async function claimFor(db: Db, viewer: SessionUser, id: string): Promise<ClaimView> {
  const claim = await findClaim(db, id);
  if (!claim || (viewer.role !== 'committee' && claim.driverId !== viewer.id)) throw new AppError('claim_not_found', `you have no volunteering claim ${id}`);
  return claim;
}

export interface ClaimQuery {
  status?: ClaimStatus | 'all';
  order?: 'oldest' | 'newest';
  driverId?: string;
  cursor?: string;
  limit?: number;
}

/**
 * Claims, one page at a time. The committee's default is the approval queue: submitted claims,
 * oldest first. A driver sees only their own claims, newest first by default. Pages are keyed on
 * (created_at, id), so claims decided while someone pages through the queue do not shift it.
 */
export async function listClaims(db: Db, viewer: SessionUser, query: ClaimQuery): Promise<{ items: ClaimView[]; nextCursor: string | null }> {
  const isCommittee = viewer.role === 'committee';
  if (!isCommittee && query.driverId && query.driverId !== viewer.id) throw new AppError('forbidden', 'drivers see their own claims only');
  const driverId = isCommittee ? query.driverId : viewer.id;
  const status = query.status ?? (isCommittee ? 'submitted' : 'all');
  const order = query.order ?? (isCommittee ? 'oldest' : 'newest');
  const limit = query.limit ?? 50;
  const conditions: SQL[] = [];
  if (driverId) conditions.push(eq(volunteerClaims.driverId, driverId));
  if (status !== 'all') conditions.push(eq(volunteerClaims.status, status));
  if (query.cursor) {
    const c = timeIdCursors.decode(query.cursor)!;
    const at = new Date(c.at);
    const beyond = order === 'oldest' ? gt : lt;
    conditions.push(or(beyond(volunteerClaims.createdAt, at), and(eq(volunteerClaims.createdAt, at), beyond(volunteerClaims.id, c.id)))!);
  }
  const direction = order === 'oldest' ? asc : desc;
  const rows = await viewQuery(db)
    .where(and(...conditions))
    .orderBy(direction(volunteerClaims.createdAt), direction(volunteerClaims.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toView);
  const last = items[items.length - 1];
  const nextCursor = nextTimeIdCursor(rows.length > limit, last);
  return { items, nextCursor };
}

/** Why a claim could not be decided: it does not exist, or someone already decided it. */
async function notDecidable(db: Db, id: string): Promise<AppError> {
  const [claim] = await db.select({ status: volunteerClaims.status, decidedAt: volunteerClaims.decidedAt }).from(volunteerClaims).where(eq(volunteerClaims.id, id));
  if (!claim) return new AppError('claim_not_found', `no volunteering claim ${id}`);
  const when = claim.decidedAt ? ` on ${claim.decidedAt.toISOString()}` : '';
  return new AppError('claim_already_decided', `this claim was already ${claim.status}${when}; reload the queue`);
}

function paidSummary(result: EarnResult) {
  return result.paid ? { points: result.earning.points.toFixed(2), units: result.earning.units, ruleVersionId: result.earning.ruleVersionId } : { unpaid: result.reason };
}

/**
 * The committee approves a submitted claim: the status flips with a guarded update (only a
 * claim still `submitted` changes) and the hours are paid in the same transaction. Of two
 * approvals at once, the second waits for the first's row lock, then finds the claim decided
 * and gets a 409: the claim is paid once.
 */
export async function approveClaim(db: Db, clock: Clock, actor: SessionUser, id: string): Promise<ClaimView> {
  const driverId = await db.transaction(async (tx) => {
    const now = clock.now();
    const [claim] = await tx
      .update(volunteerClaims)
      .set({ status: 'approved', decidedBy: actor.id, decidedAt: now })
      .where(and(eq(volunteerClaims.id, id), eq(volunteerClaims.status, 'submitted')))
      .returning();
    if (!claim) throw await notDecidable(tx, id);
    const paid = await earn(tx, clock, claimEarnInput(claim, actor.id));
    await audit(tx, {
      actorId: actor.id,
      action: 'volunteer_claim.approve',
      targetType: 'volunteer_claim',
      targetId: id,
      before: { status: 'submitted' },
      after: { status: 'approved', ...paidSummary(paid) },
      at: now,
    });
    return claim.driverId;
  });
  await onDriverActivity(db, clock, driverId);
  return (await findClaim(db, id))!;
}

export async function rejectClaim(db: Db, clock: Clock, actor: SessionUser, id: string, reason: string): Promise<ClaimView> {
  await db.transaction(async (tx) => {
    const now = clock.now();
    const [claim] = await tx
      .update(volunteerClaims)
      .set({ status: 'rejected', reason, decidedBy: actor.id, decidedAt: now })
      .where(and(eq(volunteerClaims.id, id), eq(volunteerClaims.status, 'submitted')))
      .returning({ id: volunteerClaims.id });
    if (!claim) throw await notDecidable(tx, id);
    await audit(tx, {
      actorId: actor.id,
      action: 'volunteer_claim.reject',
      targetType: 'volunteer_claim',
      targetId: id,
      before: { status: 'submitted' },
      after: { status: 'rejected', reason },
      at: now,
    });
  });
  return (await findClaim(db, id))!;
}

/**
 * Approves and pays a claim whatever its state (submitted or rejected), inside the caller's
 * transaction: what an upheld appeal does. Idempotent: an approved claim is not changed again
 * and its payment is the first one (earn() pays an activity once). The claim row is locked, so
 * this and a concurrent approval serialise.
 */
export async function payVolunteerClaim(tx: Db, clock: Clock, claimId: string, actorId: string | null): Promise<{ claim: ClaimRow; payment: EarnResult; changed: boolean }> {
  const [before] = await tx.select().from(volunteerClaims).where(eq(volunteerClaims.id, claimId)).for('no key update');
  if (!before) throw new AppError('claim_not_found', `no volunteering claim ${claimId}`);
  const now = clock.now();
  const changed = before.status !== 'approved';
  const claim = changed
    ? (await tx.update(volunteerClaims).set({ status: 'approved', reason: null, decidedBy: actorId, decidedAt: now }).where(eq(volunteerClaims.id, claimId)).returning())[0]!
    : before;
  const payment = await earn(tx, clock, claimEarnInput(claim, actorId));
  if (changed) {
    await audit(tx, {
      actorId,
      action: 'volunteer_claim.approve',
      targetType: 'volunteer_claim',
      targetId: claimId,
      before: { status: before.status, reason: before.reason },
      after: { status: 'approved', ...paidSummary(payment) },
      at: now,
    });
  }
  return { claim, payment, changed };
}
