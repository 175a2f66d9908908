import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { queryOne, type Db } from '../../db/client';
import { earnings, gridReportEvents, gridReports, users, type GridCategory, type ReportStatus } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { nextTimeIdCursor, timeIdCursors } from '../http/cursor';
import { earn, type EarnResult } from './earn';
import { storePhoto } from './photos';
import { onDriverActivity } from '../rating/engine';
import { inTransaction } from '../../db/transaction';
import { isUniqueViolation } from '../../db/errors';

/**
 * Grid reports: a driver photographs a road defect; the committee verifies it (which pays),
 * forwards it to the responsible department and follows it up to closed — or rejects it, or
 * marks it a duplicate. Every step is a `grid_report_events` row with who and when; every
 * committee step is audited in the same transaction.
 */

export type GridReportRow = typeof gridReports.$inferSelect;
export type GridReportEventRow = typeof gridReportEvents.$inferSelect;

/** Reports still being worked on: a new report near one of these is likely the same defect. */
export const OPEN_STATUSES: readonly ReportStatus[] = ['submitted', 'verified', 'forwarded'];

/** Where each status may go next. Resolved → closed ends the loop; rejected, duplicate and closed are final. */
export const NEXT_STATUSES: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  submitted: ['verified', 'rejected', 'duplicate'],
  verified: ['forwarded'],
  forwarded: ['resolved'],
  resolved: ['closed'],
  closed: [],
  rejected: [],
  duplicate: [],
};

export const DUPLICATE_RADIUS_METERS = 50;
export const DUPLICATE_WINDOW_DAYS = 7;
/** Mean Earth radius (IUGG), metres: what the haversine below measures with. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const DAY = 86_400_000;


// ——— filing ———

export interface FileReportInput {
  photo: File | Uint8Array;
  /** Degrees, as a decimal string with at most 6 places (validated by the route's schema). */
  lat: string;
  lng: string;
  category: GridCategory;
  note: string;
}

/** Great-circle distance in metres between a report's stored place and (lat, lng), in SQL. */
function haversine(lat: string, lng: string): SQL {
  const lat0 = sql`${lat}::float8`;
  const lng0 = sql`${lng}::float8`;
  return sql`(2 * ${EARTH_RADIUS_METERS}::float8 * asin(least(1::float8, sqrt(
      power(sin(radians(${gridReports.lat}::float8 - ${lat0}) / 2), 2)
      + cos(radians(${lat0})) * cos(radians(${gridReports.lat}::float8)) * power(sin(radians(${gridReports.lng}::float8 - ${lng0}) / 2), 2)))))`;
}

/**
 * A latitude/longitude box around (lat, lng) that holds every point within `meters`, slightly
 * generous, for the (category, lat, lng) index to narrow the search before the exact distance.
 */
function boundingBox(lat: string, lng: string, meters: number): SQL {
  const la = Number(lat);
  const lo = Number(lng);
  const dLat = ((meters / EARTH_RADIUS_METERS) * 180) / Math.PI * 1.01 + 1e-6;
  const cos = Math.cos((Math.min(90, Math.abs(la) + dLat) * Math.PI) / 180);
  const dLng = cos < 1e-9 ? 360 : dLat / cos;
  const deg = (v: number) => sql`${v.toFixed(6)}::numeric`;
  const latIn = sql`${gridReports.lat} between ${deg(la - dLat)} and ${deg(la + dLat)}`;
  if (dLng >= 180) return latIn;
  const west = lo - dLng;
  const east = lo + dLng;
  // A box across the antimeridian is two ranges of longitude.
  const lngIn =
    west < -180
      ? sql`(${gridReports.lng} >= ${deg(west + 360)} or ${gridReports.lng} <= ${deg(east)})`
      : east > 180
        ? sql`(${gridReports.lng} >= ${deg(west)} or ${gridReports.lng} <= ${deg(east - 360)})`
        : sql`${gridReports.lng} between ${deg(west)} and ${deg(east)}`;
  return sql`${latIn} and ${lngIn}`;
}

export interface NearbyReport {
  id: string;
  distanceMeters: number;
}

/**
 * The nearest open report of the same category within 50 m filed in the 7 days up to `at`
 * (ties: the older one), if any. No PostGIS: a bounding box on the (category, lat, lng) index,
 * then the haversine distance in SQL.
 */
export async function findLikelyDuplicate(
  db: Db,
  place: { category: GridCategory; lat: string; lng: string; at: Date; excludeId?: string },
): Promise<NearbyReport | null> {
  const distance = haversine(place.lat, place.lng);
  const row = await queryOne<{ id: string; distance: number | string }>(
    db,
    sql`select id, distance from (
          select ${gridReports.id} as id, ${gridReports.createdAt} as created_at, ${distance} as distance
          from ${gridReports}
          where ${gridReports.category} = ${place.category}
            and ${boundingBox(place.lat, place.lng, DUPLICATE_RADIUS_METERS)}
            and ${gridReports.status} in (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})
            and ${gridReports.createdAt} >= ${new Date(place.at.getTime() - DUPLICATE_WINDOW_DAYS * DAY).toISOString()}::timestamptz
            and ${gridReports.createdAt} <= ${place.at.toISOString()}::timestamptz
            ${place.excludeId ? sql`and ${gridReports.id} <> ${place.excludeId}` : sql``}
        ) near
        where distance <= ${DUPLICATE_RADIUS_METERS}
        order by distance, created_at
        limit 1`,
  );
  return row ? { id: row.id, distanceMeters: Number(row.distance) } : null;
}

/**
 * Files a report: the photo is checked and stored, the report saved (flagged when it is likely a
 * duplicate of an open one) and its first step recorded, all in one transaction — a refused
 * photo stores nothing. With an Idempotency-Key, a repeat of the same upload (a phone retrying
 * after a dropped connection) gets the first report instead of a second one with a second photo;
 * the same key on a different report is a 409. The key is written with the report.
 */
export async function fileReport(db: Db, clock: Clock, driverId: string, input: FileReportInput, idempotencyKey?: string): Promise<GridReportRow> {
  const photo = input.photo instanceof Uint8Array ? input.photo : new Uint8Array(await input.photo.arrayBuffer());
  const requestKey = idempotencyKey ? `driver-key:${driverId}:${idempotencyKey}` : null;
  const requestHash = requestKey ? requestHashOf(input, photo) : null;
  if (requestKey) {
    const first = await reportByRequestKey(db, requestKey);
    if (first) return sameReport(first, requestHash);
  }
  try {
    return await inTransaction(db, async (tx) => {
      const now = clock.now();
      const photoId = await storePhoto(tx, driverId, photo, now);
      const duplicate = await findLikelyDuplicate(tx, { category: input.category, lat: input.lat, lng: input.lng, at: now });
      const [report] = await tx
        .insert(gridReports)
        .values({
          driverId,
          photoId,
          lat: input.lat,
          lng: input.lng,
          category: input.category,
          note: input.note,
          likelyDuplicateOf: duplicate?.id ?? null,
          requestKey,
          requestHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await tx.insert(gridReportEvents).values({ reportId: report!.id, fromStatus: null, toStatus: 'submitted', actorId: driverId, createdAt: now });
      return report!;
    });
  } catch (error) {
    // Two copies of one upload racing: the loser answers with the winner's report.
    if (requestKey && isUniqueViolation(error, 'grid_reports_request_key')) {
      const first = await reportByRequestKey(db, requestKey);
      if (first) return sameReport(first, requestHash);
    }
    throw error;
  }
}

/** What a filing asks for: category, place, note and the photo's digest. */
function requestHashOf(input: FileReportInput, photo: Uint8Array): string {
  const photoDigest = createHash('sha256').update(photo).digest('hex');
  const place = [new Decimal(input.lat).toFixed(6), new Decimal(input.lng).toFixed(6)];
  return createHash('sha256').update(JSON.stringify([input.category, ...place, input.note, photoDigest])).digest('base64url');
}

async function reportByRequestKey(db: Db, requestKey: string): Promise<GridReportRow | undefined> {
  const [row] = await db.select().from(gridReports).where(eq(gridReports.requestKey, requestKey)).limit(1);
  return row;
}

function sameReport(first: GridReportRow, requestHash: string | null): GridReportRow {
  if (first.requestHash !== requestHash) throw new AppError('idempotency_conflict', 'this Idempotency-Key was used for a different report');
  return first;
}

// ——— the workflow ———

export interface TransitionInput {
  to: ReportStatus;
  /** Why it was rejected (required then). */
  reason?: string;
  /** The department it is forwarded to (required then). */
  department?: string;
  note?: string;
  /** For `duplicate`: the report it repeats (defaults to the likely duplicate flagged at filing). */
  duplicateOf?: string;
}

export interface TransitionResult {
  report: GridReportRow;
  earning: EarnResult | null;
}

async function lockReport(tx: Db, id: string): Promise<GridReportRow> {
  const [report] = await tx.select().from(gridReports).where(eq(gridReports.id, id)).for('update');
  if (!report) throw new AppError('grid_report_not_found', `no grid report ${id}`);
  return report;
}

function refuseTransition(from: ReportStatus, to: ReportStatus): never {
  const next = NEXT_STATUSES[from];
  const allowed = next.length ? `it can move to ${next.join(' or ')}` : 'that is final';
  throw new AppError('report_transition_invalid', `the report is ${from}; ${allowed}, not ${to}`);
}

const payReason = (r: GridReportRow) => `verified grid report (${r.category.replaceAll('_', ' ')})`;

function payReport(tx: Db, clock: Clock, report: GridReportRow, actorId: string): Promise<EarnResult> {
  return earn(tx, clock, {
    driverId: report.driverId,
    source: 'grid_report',
    sourceId: report.id,
    activityAt: report.createdAt,
    units: new Decimal(1),
    category: report.category,
    actorId,
    reason: payReason(report),
  });
}

const earningSummary = (e: EarnResult | null) =>
  e?.paid ? { earningId: e.earning.id, points: e.earning.points.toFixed(2), ruleVersionId: e.earning.ruleVersionId } : e ? { paid: false, reason: e.reason } : undefined;

/**
 * Moves a report one step along the workflow (committee). Verifying pays the driver through
 * `earn()` in the same transaction; the report row is locked first, so two verifications at
 * once pay once (the second finds it verified: 409). Each step is recorded and audited.
 */
export async function transitionReport(db: Db, clock: Clock, actorId: string, id: string, input: TransitionInput): Promise<TransitionResult> {
  const result = await inTransaction(db, async (tx) => {
    const now = clock.now();
    const report = await lockReport(tx, id);
    if (!NEXT_STATUSES[report.status].includes(input.to)) refuseTransition(report.status, input.to);

    let duplicateOf: string | null = null;
    if (input.to === 'duplicate') {
      duplicateOf = input.duplicateOf ?? report.likelyDuplicateOf;
      if (!duplicateOf) {
        throw new AppError('validation_failed', 'say which report this one repeats (duplicateOf); it was not flagged as a likely duplicate', {
          fields: [{ path: 'duplicateOf', message: 'required' }],
        });
      }
      if (duplicateOf === report.id) throw new AppError('unprocessable', 'a report cannot be a duplicate of itself');
      const [original] = await tx.select({ id: gridReports.id }).from(gridReports).where(eq(gridReports.id, duplicateOf));
      if (!original) throw new AppError('unprocessable', `duplicateOf: there is no grid report ${duplicateOf}`);
    }

    const [updated] = await tx
      .update(gridReports)
      .set({
        status: input.to,
        updatedAt: now,
        ...(input.to === 'verified' ? { verifiedAt: now } : {}),
        ...(input.to === 'forwarded' ? { department: input.department! } : {}),
        // a confirmed duplicate points at the report it repeats
        ...(duplicateOf ? { likelyDuplicateOf: duplicateOf } : {}),
      })
      .where(eq(gridReports.id, id))
      .returning();
    const earning = input.to === 'verified' ? await payReport(tx, clock, updated!, actorId) : null;
    const note = [input.reason, input.note, duplicateOf ? `duplicate of ${duplicateOf}` : undefined].filter(Boolean).join(' — ') || null;
    await tx.insert(gridReportEvents).values({
      reportId: id,
      fromStatus: report.status,
      toStatus: input.to,
      actorId,
      note,
      department: input.to === 'forwarded' ? input.department! : null,
      createdAt: now,
    });
    await audit(tx, {
      actorId,
      action: `grid_report.${input.to}`,
      targetType: 'grid_report',
      targetId: id,
      before: { status: report.status },
      after: {
        status: input.to,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.department && input.to === 'forwarded' ? { department: input.department } : {}),
        ...(input.note ? { note: input.note } : {}),
        ...(duplicateOf ? { duplicateOf } : {}),
        ...(earning ? { earning: earningSummary(earning) } : {}),
      },
      at: now,
    });
    return { report: updated!, earning };
  });
  // Committed: a verified report now counts in the driver's rating (a rejected one never did).
  await onDriverActivity(db, clock, result.report.driverId);
  return result;
}

/**
 * Verifies and pays a rejected or duplicate report — what an upheld appeal does. Call it inside
 * the appeal's transaction. Idempotent: a report already verified (or further along) is not
 * changed and its payment is returned as it was (`earn()` pays an activity once, ever). A report
 * still awaiting its first decision is refused (409): verify it instead.
 */
export async function payGridReport(tx: Db, clock: Clock, reportId: string, actorId: string): Promise<TransitionResult & { changed: boolean }> {
  const report = await lockReport(tx, reportId);
  if (report.status === 'submitted') {
    throw new AppError('report_transition_invalid', 'the report has not been decided yet; verify it rather than appeal it');
  }
  if (report.status !== 'rejected' && report.status !== 'duplicate') {
    return { report, earning: await payReport(tx, clock, report, actorId), changed: false };
  }
  const now = clock.now();
  const [updated] = await tx
    .update(gridReports)
    .set({ status: 'verified', verifiedAt: now, updatedAt: now })
    .where(eq(gridReports.id, reportId))
    .returning();
  const earning = await payReport(tx, clock, updated!, actorId);
  await tx.insert(gridReportEvents).values({
    reportId,
    fromStatus: report.status,
    toStatus: 'verified',
    actorId,
    note: 'appeal upheld',
    createdAt: now,
  });
  await audit(tx, {
    actorId,
    action: 'grid_report.verified_on_appeal',
    targetType: 'grid_report',
    targetId: reportId,
    before: { status: report.status },
    after: { status: 'verified', earning: earningSummary(earning) },
    at: now,
  });
  return { report: updated!, earning, changed: true };
}

// ——— reading ———

export interface Viewer {
  id: string;
  role: string;
}

export interface ReportListItem extends GridReportRow {
  driverName: string;
}

export interface ReportQuery {
  status?: ReportStatus | 'all';
  category?: GridCategory;
  driverId?: string;
  cursor?: string;
  limit?: number;
}

/**
 * One page of reports. Drivers see their own, newest first. The committee sees everyone's,
 * oldest first (a work queue), by default only those awaiting verification.
 */
export async function listReports(db: Db, viewer: Viewer, query: ReportQuery): Promise<{ items: ReportListItem[]; nextCursor: string | null }> {
  const committee = viewer.role === 'committee';
  const status = query.status ?? (committee ? 'submitted' : 'all');
  const limit = query.limit ?? 20;
  const oldestFirst = committee;
  const conditions: SQL[] = [];
  if (!committee) conditions.push(eq(gridReports.driverId, viewer.id));
  else if (query.driverId) conditions.push(eq(gridReports.driverId, query.driverId));
  if (status !== 'all') conditions.push(eq(gridReports.status, status));
  if (query.category) conditions.push(eq(gridReports.category, query.category));
  if (query.cursor) {
    const c = timeIdCursors.decode(query.cursor)!;
    const at = new Date(c.at);
    const after = oldestFirst ? gt : lt;
    conditions.push(or(after(gridReports.createdAt, at), and(eq(gridReports.createdAt, at), after(gridReports.id, c.id)))!);
  }
  const order = oldestFirst ? asc : desc;
  const rows = await db
    .select({ report: gridReports, driverName: users.name })
    .from(gridReports)
    .innerJoin(users, eq(users.id, gridReports.driverId))
    .where(and(...conditions))
    .orderBy(order(gridReports.createdAt), order(gridReports.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({ ...r.report, driverName: r.driverName }));
  const last = page[page.length - 1];
  return { items: page, nextCursor: nextTimeIdCursor(rows.length > limit, last) };
}

export interface ReportHistoryEntry extends GridReportEventRow {
  actorName: string | null;
  actorRole: string | null;
}

export interface ReportDetail {
  report: ReportListItem;
  history: ReportHistoryEntry[];
  /** The open report this one likely repeats (or, once marked duplicate, the one it repeats). */
  duplicateHint: { id: string; status: ReportStatus; distanceMeters: number; createdAt: Date } | null;
  payment: { earningId: string; points: Decimal; ruleVersionId: string | null; paidAt: Date } | null;
}

/** A report with its history, duplicate hint and payment: its driver or the committee; anyone else gets a 404. */
export async function reportDetail(db: Db, viewer: Viewer, id: string): Promise<ReportDetail> {
  const [row] = await db
    .select({ report: gridReports, driverName: users.name })
    .from(gridReports)
    .innerJoin(users, eq(users.id, gridReports.driverId))
    .where(eq(gridReports.id, id));
  if (!row || (viewer.role !== 'committee' && row.report.driverId !== viewer.id)) {
    throw new AppError('grid_report_not_found', `no grid report ${id}`);
  }
  const report = { ...row.report, driverName: row.driverName };
  const [history, hint, paid] = await Promise.all([
    db
      .select({ event: gridReportEvents, actorName: users.name, actorRole: users.role })
      .from(gridReportEvents)
      .leftJoin(users, eq(users.id, gridReportEvents.actorId))
      .where(eq(gridReportEvents.reportId, id))
      .orderBy(asc(gridReportEvents.createdAt), asc(gridReportEvents.id)),
    report.likelyDuplicateOf ? duplicateHintOf(db, report) : Promise.resolve(null),
    db
      .select()
      .from(earnings)
      .where(and(eq(earnings.source, 'grid_report'), eq(earnings.sourceId, id))),
  ]);
  const earning = paid[0];
  return {
    report,
    history: sortHistory(history.map((h) => ({ ...h.event, actorName: h.actorName, actorRole: h.actorRole }))),
    duplicateHint: hint,
    payment: earning ? { earningId: earning.id, points: earning.points, ruleVersionId: earning.ruleVersionId, paidAt: earning.createdAt } : null,
  };
}

/** Steps in the order they happened; steps in the same instant follow the workflow (each one's `from` is the previous `to`). */
function sortHistory(entries: ReportHistoryEntry[]): ReportHistoryEntry[] {
  const out: ReportHistoryEntry[] = [];
  const left = [...entries];
  let status: ReportStatus | null = null;
  while (left.length) {
    const nextAt = left[0]!.createdAt.getTime();
    const i = left.findIndex((e) => e.createdAt.getTime() === nextAt && e.fromStatus === status);
    const [e] = left.splice(i >= 0 ? i : 0, 1);
    out.push(e!);
    status = e!.toStatus;
  }
  return out;
}

async function duplicateHintOf(db: Db, report: GridReportRow): Promise<ReportDetail['duplicateHint']> {
  const row = await queryOne<{ id: string; status: ReportStatus; created_at: string | Date; distance: number | string }>(
    db,
    sql`select ${gridReports.id} as id, ${gridReports.status} as status, ${gridReports.createdAt} as created_at,
               ${haversine(report.lat, report.lng)} as distance
        from ${gridReports} where ${gridReports.id} = ${report.likelyDuplicateOf}`,
  );
  if (!row) return null;
  return { id: row.id, status: row.status, distanceMeters: Number(row.distance), createdAt: new Date(row.created_at) };
}
