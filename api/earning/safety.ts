import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { hasConnectionPool, queryRows, uuidArray, type Db } from '../../db/client';
import { safetyEvents, safetyKinds, type SafetyKind, type SafetySeverity } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError, type FieldError } from '../errors';
import { timeIdCursors } from '../http/cursor';
import type { SessionUser } from '../http/env';
import { isStorableText } from '../http/text';
import { evaluateMilestones, type MilestonePass } from './milestones';
import { onDriverActivity } from '../rating/engine';
import { inTransaction } from '../../db/transaction';

/** A safety record as a sender gives it. */
export interface SafetyEventInput {
  externalId: string;
  driverId: string;
  kind: SafetyKind;
  severity?: SafetySeverity | null;
  occurredAt: Date;
  note?: string | null;
}

export type SafetyEventRow = typeof safetyEvents.$inferSelect;

export type ItemStatus = 'created' | 'duplicate' | 'conflict';

export interface ItemResult {
  index: number;
  externalId: string;
  status: ItemStatus;
  /** The stored event (the existing one for a duplicate or conflict). */
  id: string;
  /** For a conflict: what differs from the stored event. */
  detail?: string;
}

const SEVERITIES: Record<SafetyKind, ReadonlyArray<SafetySeverity | null>> = {
  violation: ['minor', 'major'],
  accident: ['at_fault_minor', 'serious'],
  inspection_passed: [null],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Field errors reported at most; a feed with a systematic mistake would otherwise send back thousands. */
const MAX_REPORTED = 50;
/** Rows per INSERT statement in a bulk import. */
const IMPORT_CHUNK = 5_000;
/** INSERT statements in flight at once in a bulk import on PostgreSQL. */
const IMPORT_PARALLEL = 2;

/** Problems of one item that need no database, as `[field, message]`. */
function itemProblems(e: SafetyEventInput, now: Date): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (typeof e.externalId !== 'string' || e.externalId.trim() === '' || e.externalId.length > 200 || !isStorableText(e.externalId)) {
    out.push(['externalId', 'an externalId is 1 to 200 characters of text']);
  }
  if (typeof e.driverId !== 'string' || !UUID.test(e.driverId)) out.push(['driverId', 'a driverId is a UUID']);
  if (!(safetyKinds as readonly string[]).includes(e.kind)) {
    out.push(['kind', `kind is one of ${safetyKinds.join(', ')}`]);
  } else if (!SEVERITIES[e.kind].includes(e.severity ?? null)) {
    out.push([
      'severity',
      e.kind === 'inspection_passed'
        ? 'an inspection_passed event has no severity'
        : `a ${e.kind} has severity ${SEVERITIES[e.kind].join(' or ')}`,
    ]);
  }
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime())) out.push(['occurredAt', 'occurredAt is not a date']);
  else if (e.occurredAt.getTime() > now.getTime()) out.push(['occurredAt', `occurredAt is in the future (now is ${now.toISOString()})`]);
  if (e.note != null && (e.note.length > 500 || !isStorableText(e.note))) out.push(['note', 'a note is at most 500 characters of text']);
  return out;
}

/** Drivers among `ids` (users with the driver role), in one query per 10,000 ids. */
async function existingDrivers(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const slice = ids.slice(i, i + 10_000);
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from users where role = 'driver' and id = any(${uuidArray(slice)})`,
    );
    for (const r of rows) found.add(String(r.id).toLowerCase());
  }
  return found;
}

/**
 * Every problem with a batch, as field errors naming the item (`events.3.severity`): malformed
 * fields, severity that does not fit the kind, a future date, a driver who does not exist.
 */
export async function safetyEventProblems(db: Db, events: SafetyEventInput[], now: Date): Promise<FieldError[]> {
  const fields: FieldError[] = [];
  const candidates = new Set<string>();
  events.forEach((e, i) => {
    const problems = itemProblems(e, now);
    for (const [field, message] of problems) fields.push({ path: `events.${i}.${field}`, message });
    if (!problems.some(([f]) => f === 'driverId')) candidates.add(e.driverId.toLowerCase());
  });
  const drivers = await existingDrivers(db, [...candidates]);
  events.forEach((e, i) => {
    if (typeof e.driverId === 'string' && UUID.test(e.driverId) && !drivers.has(e.driverId.toLowerCase())) {
      fields.push({ path: `events.${i}.driverId`, message: `no driver ${e.driverId}` });
    }
  });
  const index = (path: string) => Number(path.split('.')[1]);
  return fields.sort((a, b) => index(a.path) - index(b.path));
}

function rejectBatch(fields: FieldError[]): never {
  const shown = fields.slice(0, MAX_REPORTED);
  const first = shown[0]!;
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more problem${fields.length > 2 ? 's' : ''})` : '';
  throw new AppError('safety_event_invalid', `item ${first.path.split('.')[1]}: ${first.message}${more}; nothing was recorded`, { fields: shown });
}

const norm = (e: SafetyEventInput) => ({
  externalId: e.externalId.trim(),
  driverId: e.driverId.toLowerCase(),
  kind: e.kind,
  severity: e.severity ?? null,
  occurredAt: e.occurredAt,
  note: e.note == null || e.note.trim() === '' ? null : e.note.trim(),
});
type Normalised = ReturnType<typeof norm>;

/** What differs between an item and the stored event with its externalId, or null when nothing. */
function difference(item: Normalised, stored: { driverId: string; kind: string; severity: string | null; occurredAt: Date; note: string | null }): string | null {
  const diffs: string[] = [];
  if (item.driverId !== stored.driverId.toLowerCase()) diffs.push('driverId');
  if (item.kind !== stored.kind) diffs.push('kind');
  if (item.severity !== stored.severity) diffs.push('severity');
  if (item.occurredAt.getTime() !== stored.occurredAt.getTime()) diffs.push('occurredAt');
  if (item.note !== (stored.note ?? null)) diffs.push('note');
  return diffs.length === 0 ? null : `${diffs.join(', ')} differ${diffs.length === 1 ? 's' : ''} from the event already recorded under this externalId`;
}

/**
 * Inserts validated events in ONE statement (`json_to_recordset … on conflict do nothing`), then
 * sorts the rest into duplicates (same content) and conflicts (different content). An externalId
 * repeated inside the batch is inserted once; its later copies compare against the first.
 */
async function insertEvents(db: Db, events: Normalised[], recordedBy: string | null, now: Date): Promise<ItemResult[]> {
  const firstAt = new Map<string, number>();
  const fresh: Normalised[] = [];
  events.forEach((e, i) => {
    if (!firstAt.has(e.externalId)) {
      firstAt.set(e.externalId, i);
      fresh.push(e);
    }
  });
  // In externalId order, so that two batches sharing ids wait on each other instead of deadlocking.
  fresh.sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  const payload = JSON.stringify(
    fresh.map((e) => ({ e: e.externalId, d: e.driverId, k: e.kind, s: e.severity, o: e.occurredAt.toISOString(), n: e.note })),
  );
  const inserted = await queryRows<{ id: string; external_id: string }>(
    db,
    sql`insert into safety_events (external_id, driver_id, kind, severity, occurred_at, note, recorded_by, created_at)
        select r.e, r.d, r.k, r.s, r.o, r.n, ${recordedBy}::uuid, ${now.toISOString()}::timestamptz
          from json_to_recordset(${payload}::json) as r(e text, d uuid, k text, s text, o timestamptz, n text)
        on conflict (external_id) do nothing
        returning id, external_id`,
  );
  const created = new Map(inserted.map((r) => [String(r.external_id), String(r.id)]));

  // Everything not inserted just now already exists: look it up to tell duplicates from conflicts.
  const others = [...new Set(events.filter((e, i) => !(created.has(e.externalId) && firstAt.get(e.externalId) === i)).map((e) => e.externalId))];
  const stored = new Map<string, { id: string; driverId: string; kind: string; severity: string | null; occurredAt: Date; note: string | null }>();
  if (others.length > 0) {
    const rows = await queryRows<{ id: string; external_id: string; driver_id: string; kind: string; severity: string | null; occurred_ms: string; note: string | null }>(
      db,
      sql`select id, external_id, driver_id, kind, severity, (extract(epoch from occurred_at) * 1000)::bigint::text as occurred_ms, note
            from safety_events
           where external_id in (select json_array_elements_text(${JSON.stringify(others)}::json))`,
    );
    for (const r of rows) {
      stored.set(String(r.external_id), {
        id: String(r.id),
        driverId: String(r.driver_id),
        kind: r.kind,
        severity: r.severity ?? null,
        occurredAt: new Date(Number(r.occurred_ms)),
        note: r.note ?? null,
      });
    }
  }
  return events.map((e, index) => {
    const id = created.get(e.externalId);
    if (id && firstAt.get(e.externalId) === index) return { index, externalId: e.externalId, status: 'created' as const, id };
    const prior = stored.get(e.externalId);
    if (!prior) throw new Error(`safety event ${e.externalId} was neither inserted nor found`);
    const detail = difference(e, prior);
    return detail
      ? { index, externalId: e.externalId, status: 'conflict' as const, id: prior.id, detail }
      : { index, externalId: e.externalId, status: 'duplicate' as const, id: prior.id };
  });
}

export interface BatchOutcome {
  created: number;
  duplicates: number;
  conflicts: number;
  items: ItemResult[];
  milestones: MilestonePass;
}

const count = (items: ItemResult[], status: ItemStatus) => items.reduce((n, r) => n + (r.status === status ? 1 : 0), 0);

/**
 * Records a batch posted by the committee or an integration: all of it, or — when any item is
 * invalid — none of it. In the same transaction: the events, the audit entry and the safety
 * milestones now due to the drivers who got a new event (a late violation can start a streak
 * that has already reached a milestone; a new record of any kind catches up a driver at once).
 */
export async function recordSafetyEvents(db: Db, clock: Clock, actor: SessionUser, events: SafetyEventInput[]): Promise<BatchOutcome> {
  const now = clock.now();
  const problems = await safetyEventProblems(db, events, now);
  if (problems.length > 0) rejectBatch(problems);
  const rows = events.map(norm);
  const outcome = await inTransaction(db, async (tx) => {
    const items = await insertEvents(tx, rows, actor.id, now);
    const touched = [...new Set(items.filter((r) => r.status === 'created').map((r) => rows[r.index]!.driverId))];
    const milestones = await evaluateMilestones(tx, clock, touched);
    const outcome = { created: count(items, 'created'), duplicates: count(items, 'duplicate'), conflicts: count(items, 'conflict'), items, milestones };
    await audit(tx, {
      actorId: actor.id,
      action: 'safety_events.record',
      targetType: 'safety_event_batch',
      after: {
        created: outcome.created,
        duplicates: outcome.duplicates,
        conflicts: outcome.conflicts,
        createdIds: items.filter((r) => r.status === 'created').map((r) => r.id),
        conflictExternalIds: items.filter((r) => r.status === 'conflict').map((r) => r.externalId),
        milestonesPaid: milestones.paid,
      },
      at: now,
    });
    return outcome;
  });
  const touched = [...new Set(outcome.items.filter((r) => r.status === 'created').map((r) => rows[r.index]!.driverId))];
  await onDriverActivity(db, clock, touched);
  return outcome;
}

export interface ImportOutcome {
  rows: number;
  created: number;
  duplicates: number;
  conflicts: number;
}

/**
 * Bulk import (feeds, back-fills, the benchmark): every row is checked first — any problem and
 * nothing is written — then rows go in as multi-row INSERTs of `chunkSize` (one statement each,
 * idempotent by externalId). Milestones are left to the daily pass (`evaluateMilestones`).
 * Pass a transaction as `db` to make the whole import atomic.
 */
export async function importSafetyEvents(
  db: Db,
  rows: SafetyEventInput[],
  options: { recordedBy?: string | null; now?: Date; chunkSize?: number; parallel?: number } = {},
): Promise<ImportOutcome> {
  const now = options.now ?? new Date();
  const chunk = Math.max(1, Math.min(options.chunkSize ?? IMPORT_CHUNK, 20_000));
  const problems = await safetyEventProblems(db, rows, now);
  if (problems.length > 0) rejectBatch(problems);
  const outcome: ImportOutcome = { rows: rows.length, created: 0, duplicates: 0, conflicts: 0 };
  // Statements on separate connections when the database has several (PostgreSQL, outside a
  // transaction); each is idempotent on its own, so their order does not matter.
  const parallel = db instanceof PgTransaction || !hasConnectionPool(db) ? 1 : Math.max(1, options.parallel ?? IMPORT_PARALLEL);
  let next = 0;
  const worker = async () => {
    for (let at = next; at < rows.length; at = next) {
      next += chunk;
      const items = await insertEvents(db, rows.slice(at, at + chunk).map(norm), options.recordedBy ?? null, now);
      outcome.created += count(items, 'created');
      outcome.duplicates += count(items, 'duplicate');
      outcome.conflicts += count(items, 'conflict');
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: parallel }, worker));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return outcome;
}

/** Safety events, newest first (by when they happened), one page at a time. */
export async function listSafetyEvents(
  db: Db,
  filter: { driverId?: string; kind?: SafetyKind; cursor?: string; limit?: number },
): Promise<{ items: SafetyEventRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const cursor = timeIdCursors.decode(filter.cursor);
  const where: SQL[] = [];
  if (filter.driverId) where.push(eq(safetyEvents.driverId, filter.driverId));
  if (filter.kind) where.push(eq(safetyEvents.kind, filter.kind));
  if (cursor) {
    const at = new Date(cursor.at);
    where.push(or(lt(safetyEvents.occurredAt, at), and(eq(safetyEvents.occurredAt, at), lt(safetyEvents.id, cursor.id)))!);
  }
  const rows = await db
    .select()
    .from(safetyEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(safetyEvents.occurredAt), desc(safetyEvents.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? timeIdCursors.encode({ at: last.occurredAt.toISOString(), id: last.id }) : null };
}
