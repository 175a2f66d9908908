import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type Decimal from 'decimal.js';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { appeals, earnings, gridReports, safetyEvents, users, volunteerClaims, type AppealSubject } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { nextTimeIdCursor, timeIdCursors } from '../http/cursor';
import type { SessionUser } from '../http/env';
import { onDriverActivity } from '../rating/engine';
import { PROGRAMME_TIME_ZONE, type EarnResult } from './earn';
import { payGridReport } from './grid-reports';
import { notify } from './inbox';
import { evaluateMilestones } from './milestones';
import { payVolunteerClaim } from './volunteering';
import { processLogger } from '../ops/log';

export type AppealRow = typeof appeals.$inferSelect;
export type AppealStatusFilter = AppealRow['status'] | 'all';

/** An appeal as the API shows it: whose it is, what it is about now, and what the subject was paid. */
export interface AppealView extends AppealRow {
  driverName: string;
  subjectStatus: string;
  subjectSummary: string;
  payment: { earningId: string; points: Decimal; transferId: string | null } | null;
}

const LABEL: Record<AppealSubject, string> = {
  volunteer_claim: 'volunteering claim',
  grid_report: 'grid report',
  safety_event: 'safety event',
};

interface Subject {
  driverId: string;
  /** Why it cannot be appealed, or null when it can. */
  refusal: string | null;
}

async function subjectOf(db: Db, type: AppealSubject, id: string): Promise<Subject | null> {
  switch (type) {
    case 'volunteer_claim': {
      const [c] = await db.select({ driverId: volunteerClaims.driverId, status: volunteerClaims.status }).from(volunteerClaims).where(eq(volunteerClaims.id, id));
      if (!c) return null;
      return { driverId: c.driverId, refusal: c.status === 'rejected' ? null : `only a rejected claim can be appealed; this one is ${c.status}` };
    }
    case 'grid_report': {
      const [r] = await db.select({ driverId: gridReports.driverId, status: gridReports.status }).from(gridReports).where(eq(gridReports.id, id));
      if (!r) return null;
      const ok = r.status === 'rejected' || r.status === 'duplicate';
      return { driverId: r.driverId, refusal: ok ? null : `only a rejected or duplicate report can be appealed; this one is ${r.status}` };
    }
    case 'safety_event': {
      const [e] = await db
        .select({ driverId: safetyEvents.driverId, kind: safetyEvents.kind, voidedAt: safetyEvents.voidedAt })
        .from(safetyEvents)
        .where(eq(safetyEvents.id, id));
      if (!e) return null;
      const refusal =
        e.kind === 'inspection_passed'
          ? 'a passed inspection counts in your favour; there is nothing to appeal'
          : e.voidedAt
            ? 'this safety event was already voided'
            : null;
      return { driverId: e.driverId, refusal };
    }
  }
}

export interface AppealInput {
  subjectType: AppealSubject;
  subjectId: string;
  reason: string;
}

/**
 * A driver appeals their own rejected claim, rejected or duplicate report, or a safety event.
 * Someone else's subject is "not found"; one appeal per subject may be open at a time (a unique
 * index decides a race), and a subject whose appeal was upheld cannot be appealed again.
 */
export async function fileAppeal(db: Db, clock: Clock, driver: SessionUser, input: AppealInput): Promise<AppealView> {
  const subject = await subjectOf(db, input.subjectType, input.subjectId);
  if (!subject || subject.driverId !== driver.id) throw new AppError('not_found', `you have no ${LABEL[input.subjectType]} ${input.subjectId}`);
  if (subject.refusal) throw new AppError('not_appealable', subject.refusal);
  const [upheld] = await db
    .select({ id: appeals.id })
    .from(appeals)
    .where(and(eq(appeals.subjectType, input.subjectType), eq(appeals.subjectId, input.subjectId), eq(appeals.status, 'upheld')));
  if (upheld) throw new AppError('not_appealable', `an appeal on this ${LABEL[input.subjectType]} was already upheld`);
  try {
    const [created] = await db
      .insert(appeals)
      .values({ driverId: driver.id, subjectType: input.subjectType, subjectId: input.subjectId, reason: input.reason, createdAt: clock.now() })
      .returning({ id: appeals.id });
    return (await findAppeal(db, created!.id))!;
  } catch (error) {
    if (isUniqueViolation(error, 'appeals_open_uq')) {
      throw new AppError('appeal_open', `an appeal on this ${LABEL[input.subjectType]} is already open; wait for the committee's decision`);
    }
    throw error;
  }
}

export interface DecideInput {
  decision: 'upheld' | 'dismissed';
  note: string;
}

interface Effect {
  /** For the audit log and the driver's message. */
  summary: Record<string, unknown>;
  message: string;
}

function paymentEffect(result: EarnResult | null): Effect {
  if (!result || !result.paid) {
    return { summary: { paid: '0.00', unpaid: result?.reason ?? 'no payment' }, message: 'No points were due under the reward rules.' };
  }
  const points = result.earning.points.toFixed(2);
  return {
    summary: { paid: points, earningId: result.earning.id, transferId: result.earning.transferId },
    message: result.earning.points.greaterThan(0) ? `${points} points were paid to your wallet.` : 'No points were paid: the period’s cap was already reached.',
  };
}

/** What an upheld appeal does to its subject, inside the decision's transaction. */
async function uphold(tx: Db, clock: Clock, appeal: AppealRow, actorId: string): Promise<Effect> {
  switch (appeal.subjectType) {
    case 'volunteer_claim':
      return paymentEffect((await payVolunteerClaim(tx, clock, appeal.subjectId, actorId)).payment);
    case 'grid_report':
      return paymentEffect((await payGridReport(tx, clock, appeal.subjectId, actorId)).earning);
    case 'safety_event': {
      const [voided] = await tx
        .update(safetyEvents)
        .set({ voidedAt: clock.now() })
        .where(and(eq(safetyEvents.id, appeal.subjectId), sql`${safetyEvents.voidedAt} is null`))
        .returning({ id: safetyEvents.id });
      return {
        summary: { voided: voided !== undefined },
        message: 'The safety event no longer counts against your record or your zero-violation streak.',
      };
    }
  }
}

/**
 * The committee decides an open appeal, audited. Upheld: a claim or report is paid (the payment
 * functions pay an activity once, ever), a safety event is voided. The appeal row is locked
 * first, so of two decisions at once the second waits, then finds it decided (409): the subject
 * is paid once. The driver gets the decision in their inbox, in the same transaction. After
 * commit, a voided event's driver has their milestones and grade re-evaluated.
 */
export async function decideAppeal(db: Db, clock: Clock, actor: SessionUser, id: string, input: DecideInput): Promise<AppealView> {
  const decided = await db.transaction(async (tx) => {
    const now = clock.now();
    const [appeal] = await tx.select().from(appeals).where(eq(appeals.id, id)).for('update');
    if (!appeal) throw new AppError('appeal_not_found', `no appeal ${id}`);
    if (appeal.status !== 'open') {
      throw new AppError('appeal_decided', `this appeal was already ${appeal.status}${appeal.decidedAt ? ` on ${appeal.decidedAt.toISOString()}` : ''}`);
    }
    const effect: Effect =
      input.decision === 'upheld' ? await uphold(tx, clock, appeal, actor.id) : { summary: {}, message: 'Nothing changes.' };
    const [updated] = await tx
      .update(appeals)
      .set({ status: input.decision, decisionNote: input.note, decidedBy: actor.id, decidedAt: now })
      .where(eq(appeals.id, id))
      .returning();
    await audit(tx, {
      actorId: actor.id,
      action: 'appeal.decide',
      targetType: 'appeal',
      targetId: id,
      before: { status: appeal.status },
      after: { status: input.decision, note: input.note, subjectType: appeal.subjectType, subjectId: appeal.subjectId, ...effect.summary },
      at: now,
    });
    await notify(tx, {
      userId: appeal.driverId,
      kind: 'appeal_decided',
      title: `Your appeal on a ${LABEL[appeal.subjectType]} was ${input.decision}`,
      body: `${input.decision === 'upheld' ? effect.message : 'The committee dismissed your appeal.'} The committee's note: ${input.note}`,
      data: { appealId: id, subjectType: appeal.subjectType, subjectId: appeal.subjectId, decision: input.decision, ...effect.summary },
      dedupeKey: `appeal-decided:${id}`,
      at: now,
    });
    return updated!;
  });
  if (decided.status === 'upheld') await afterUpheld(db, clock, decided);
  return (await findAppeal(db, id))!;
}

/** Work that reads the committed decision; a failure here is logged, the daily jobs catch up. */
async function afterUpheld(db: Db, clock: Clock, appeal: AppealRow): Promise<void> {
  if (appeal.subjectType === 'safety_event') {
    try {
      await evaluateMilestones(db, clock, [appeal.driverId]);
    } catch (error) {
      processLogger().warn({ appealId: appeal.id, error: String(error) }, 'milestone re-evaluation after an appeal failed; the daily job will catch up');
    }
  }
  await onDriverActivity(db, clock, appeal.driverId);
}

// ——— reading ———

const tz = PROGRAMME_TIME_ZONE;
const localDay = (column: SQL | unknown) => sql`to_char(${column} at time zone ${tz}, 'YYYY-MM-DD')`;

function viewQuery(db: Db) {
  return db
    .select({
      appeal: appeals,
      driverName: users.name,
      subjectStatus: sql<string>`case ${appeals.subjectType}
        when 'volunteer_claim' then ${volunteerClaims.status}
        when 'grid_report' then ${gridReports.status}
        else case when ${safetyEvents.voidedAt} is null then 'standing' else 'voided' end end`,
      subjectSummary: sql<string>`case ${appeals.subjectType}
        when 'volunteer_claim' then ${volunteerClaims.event} || ', ' || ${volunteerClaims.hours}::text || ' h on ' || ${volunteerClaims.activityDate}::text
             || coalesce(' — ' || ${volunteerClaims.status} || ': ' || ${volunteerClaims.reason}, '')
        when 'grid_report' then replace(${gridReports.category}, '_', ' ') || ' report of ' || ${localDay(gridReports.createdAt)} || ' — ' || ${gridReports.status}
        else ${safetyEvents.kind} || coalesce(' (' || replace(${safetyEvents.severity}, '_', ' ') || ')', '') || ' on ' || ${localDay(safetyEvents.occurredAt)} end`,
      earningId: earnings.id,
      earningPoints: earnings.points,
      earningTransferId: earnings.transferId,
    })
    .from(appeals)
    .innerJoin(users, eq(users.id, appeals.driverId))
    .leftJoin(volunteerClaims, and(eq(appeals.subjectType, 'volunteer_claim'), eq(volunteerClaims.id, appeals.subjectId)))
    .leftJoin(gridReports, and(eq(appeals.subjectType, 'grid_report'), eq(gridReports.id, appeals.subjectId)))
    .leftJoin(safetyEvents, and(eq(appeals.subjectType, 'safety_event'), eq(safetyEvents.id, appeals.subjectId)))
    .leftJoin(
      earnings,
      and(
        sql`${earnings.source} = case ${appeals.subjectType} when 'volunteer_claim' then 'volunteering' when 'grid_report' then 'grid_report' end`,
        eq(earnings.sourceId, sql`${appeals.subjectId}::text`),
      ),
    );
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['where']>>[number];

function toView(row: ViewRow): AppealView {
  return {
    ...row.appeal,
    driverName: row.driverName,
    subjectStatus: row.subjectStatus ?? 'unknown',
    subjectSummary: row.subjectSummary ?? '',
    payment: row.earningId && row.earningPoints ? { earningId: row.earningId, points: row.earningPoints, transferId: row.earningTransferId } : null,
  };
}

export async function findAppeal(db: Db, id: string): Promise<AppealView | undefined> {
  const [row] = await viewQuery(db).where(eq(appeals.id, id));
  return row ? toView(row) : undefined;
}

/**
 * Appeals, one page at a time. The committee's default is the queue: open appeals, oldest first.
 * A driver sees only their own, newest first.
 */
export async function listAppeals(
  db: Db,
  viewer: SessionUser,
  query: { status?: AppealStatusFilter; cursor?: string; limit?: number },
): Promise<{ items: AppealView[]; nextCursor: string | null }> {
  const isCommittee = viewer.role === 'committee';
  const status = query.status ?? (isCommittee ? 'open' : 'all');
  const oldestFirst = isCommittee && status === 'open';
  const limit = query.limit ?? 20;
  const conditions: SQL[] = [];
  if (!isCommittee) conditions.push(eq(appeals.driverId, viewer.id));
  if (status !== 'all') conditions.push(eq(appeals.status, status));
  if (query.cursor) {
    const c = timeIdCursors.decode(query.cursor)!;
    const at = new Date(c.at);
    const beyond = oldestFirst ? gt : lt;
    conditions.push(or(beyond(appeals.createdAt, at), and(eq(appeals.createdAt, at), beyond(appeals.id, c.id)))!);
  }
  const direction = oldestFirst ? asc : desc;
  const rows = await viewQuery(db)
    .where(and(...conditions))
    .orderBy(direction(appeals.createdAt), direction(appeals.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toView);
  const last = items[items.length - 1];
  const nextCursor = nextTimeIdCursor(rows.length > limit, last);
  return { items, nextCursor };
}
