import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { CsvError, parse } from 'csv-parse/sync';
import { desc, eq, lt, or, and, sql } from 'drizzle-orm';
import { hasConnectionPool, queryOne, queryRows, type Db } from '../../db/client';
import { volunteerImportLanes, volunteerImports } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { nextTimeIdCursor, timeIdCursors } from '../http/cursor';
import { isStorableText } from '../http/text';
import { earnMany, localDate, localMidnight, type EarnResult } from './earn';
import { hoursProblem, isCalendarDate } from './volunteering.schemas';
import { onDriverActivity } from '../rating/engine';
import { isRetryable } from '../../db/transaction';
import { processLogger } from '../ops/log';

/**
 * Attendance imports: a committee member uploads a CSV of who volunteered (driver phone or id,
 * event, date, hours, optional organiser). The file is checked as a whole first (UTF-8, a
 * header naming the columns, at least one row) and refused with nothing stored if it fails;
 * then it is stored whole and processed in the background, in chunks of rows, each chunk one
 * transaction that also advances the import's counters, so progress is visible and a crash
 * leaves a consistent prefix to resume from.
 *
 * A big file on PostgreSQL is dealt into lanes by driver (the phone or id a row names), and the
 * lanes run side by side on their own connections; each lane goes through its rows in line
 * order, so caps count a driver's rows in the order of the file. (A driver named by phone on one
 * row and by id on another can land in two lanes: the caps still hold, as the payments take a
 * lock per driver, only the order between those rows is not the file's.)
 *
 * Every row becomes an approved, paid claim with `dedupe_key` = driver + normalised event +
 * date, inserted ON CONFLICT DO NOTHING: re-uploading the same attendance pays nothing twice
 * (those rows are counted as skipped). Bad rows are reported with their line numbers; the
 * valid rows are applied.
 */

export const IMPORT_CHUNK_ROWS = 2_000;
/**
 * Lanes for a file of more than one chunk on a database with a connection pool: two keep both
 * of this machine's cores busy (one lane writes while the other prepares its chunk).
 */
export const IMPORT_LANES = 2;
/** Row errors kept on the import (the count is always exact). */
export const MAX_STORED_ROW_ERRORS = 1_000;

export type ImportRow = typeof volunteerImports.$inferSelect;

type Column = 'phone' | 'driverId' | 'event' | 'date' | 'hours' | 'organiser';

const HEADER_ALIASES: Record<string, Column> = {
  phone: 'phone',
  mobile: 'phone',
  driverid: 'driverId',
  event: 'event',
  date: 'date',
  hours: 'hours',
  organiser: 'organiser',
  organizer: 'organiser',
};

const EXPECTED = 'phone (or driverId), event, date, hours and optionally organiser';

export interface CsvRecord {
  /** The line the record starts on; the header is line 1. */
  line: number;
  fields: string[];
}

export interface AttendanceFile {
  columns: Partial<Record<Column, number>>;
  width: number;
  records: CsvRecord[];
}

/** The file as text, or a problem that says how to save it properly. */
function decodeUtf8(content: Uint8Array): string {
  try {
    // A UTF-8 byte order mark (Excel's "CSV UTF-8") is dropped by the decoder.
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    let hint = '';
    if (content[0] === 0xff && content[1] === 0xfe) hint = ' It looks like UTF-16 ("Unicode text").';
    else {
      try {
        new TextDecoder('gb18030', { fatal: true }).decode(content);
        hint = ' It looks like a GBK/GB18030 export (what Excel and WPS write as "CSV" on a Chinese system).';
      } catch {
        // not GB18030 either: no guess
      }
    }
    throw new AppError(
      'csv_encoding',
      `the file is not valid UTF-8 text.${hint} Open it in your spreadsheet and save it as "CSV UTF-8 (comma delimited)", then upload that file.`,
    );
  }
}

const normaliseHeader = (h: string) => h.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, '');

/** Newlines inside quoted fields: a record's start line is its end line minus these. */
function newlinesIn(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let at = f.indexOf('\n'); at >= 0; at = f.indexOf('\n', at + 1)) n++;
  }
  return n;
}

/**
 * Parses and checks the file as a whole: UTF-8, well-formed CSV, a header naming the required
 * columns, at least one data row. Throws a 422 problem otherwise; says nothing about rows.
 */
export function parseAttendance(content: Uint8Array): AttendanceFile {
  // One kind of line break: csv-parse miscounts lines at CRLF inside quoted fields.
  const text = decodeUtf8(content).replace(/\r\n?/g, '\n');
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Each record keeps the line it starts on, for row errors a person can find in the file.
      on_record: ((fields: string[], context: { lines: number }) => ({ line: context.lines - newlinesIn(fields), fields })) as unknown as (r: string[]) => string[],
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      throw new AppError('csv_invalid', `the file is not well-formed CSV: ${error.message}`);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header || header.fields.every((f) => f.trim() === '')) {
    throw new AppError('csv_invalid', `the file is empty; its first line must be a header naming the columns: ${EXPECTED}`);
  }
  const columns: Partial<Record<Column, number>> = {};
  header.fields.forEach((name, index) => {
    const column = HEADER_ALIASES[normaliseHeader(name)];
    if (!column) return; // other columns are allowed and ignored
    if (columns[column] !== undefined) throw new AppError('csv_invalid', `the header names the column "${column}" twice`);
    columns[column] = index;
  });
  const missing = [
    ...(columns.phone === undefined && columns.driverId === undefined ? ['phone (or driverId)'] : []),
    ...(['event', 'date', 'hours'] as const).filter((c) => columns[c] === undefined),
  ];
  if (missing.length > 0) {
    const found = header.fields.map((f) => `"${f.slice(0, 40)}"`).join(', ');
    throw new AppError(
      'csv_invalid',
      `the header row is missing ${missing.join(', ')}. The first line must name the columns: ${EXPECTED}; it has ${found}`,
    );
  }
  if (rows.length === 0) throw new AppError('csv_empty', 'the file has a header but no data rows; nothing to import');
  return { columns, width: header.fields.length, records: rows };
}

interface ValidRow {
  line: number;
  ref: { phone: string } | { driverId: string };
  event: string;
  eventKey: string;
  organiser: string | null;
  date: string;
  hours: string;
}

interface RowError {
  line: number;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHONE = /^\+?[0-9]{6,20}$/;

/** Spreadsheet dates come as 2026-05-16, 2026/5/16 or 2026.5.16; all mean the same day. */
function normaliseDate(raw: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

/** What makes two events the same: case, width (全角/半角) and spacing do not count. */
export function normaliseEvent(event: string): string {
  return event.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A record's cell in a column, trimmed; '' when the file has no such column. */
function cellOf(file: AttendanceFile, record: CsvRecord, column: Column): string {
  const at = file.columns[column];
  return at === undefined ? '' : (record.fields[at] ?? '').trim();
}

/** A phone number as a spreadsheet holds it, without its spaces, dashes and brackets. */
const barePhone = (phone: string) => phone.replace(/[\s\-()]/g, '');

function checkRow(file: AttendanceFile, record: CsvRecord, today: string): ValidRow | RowError {
  const cell = (c: Column) => cellOf(file, record, c);
  const problems: string[] = [];
  const extra = record.fields.slice(file.width).filter((f) => f.trim() !== '');
  if (extra.length > 0) problems.push(`has ${record.fields.length} fields but the header has ${file.width}`);

  let ref: ValidRow['ref'] | null = null;
  const driverId = cell('driverId');
  const phone = barePhone(cell('phone'));
  if (driverId) {
    if (UUID.test(driverId)) ref = { driverId: driverId.toLowerCase() };
    else problems.push(`driverId "${driverId.slice(0, 40)}" is not a driver id (a UUID)`);
  } else if (phone) {
    if (PHONE.test(phone)) ref = { phone };
    else if (/e\+?\d+$/i.test(phone)) problems.push(`phone "${phone.slice(0, 40)}" was turned into a number by a spreadsheet; format the column as text`);
    else problems.push(`phone "${phone.slice(0, 40)}" is not a phone number`);
  } else problems.push(file.columns.phone !== undefined ? 'phone is empty' : 'driverId is empty');

  const event = cell('event');
  if (!event) problems.push('event is empty');
  else if (event.length > 200) problems.push('event is longer than 200 characters');
  else if (!isStorableText(event)) problems.push('event contains characters that cannot be stored');

  const organiser = cell('organiser');
  if (organiser.length > 200) problems.push('organiser is longer than 200 characters');
  else if (!isStorableText(organiser)) problems.push('organiser contains characters that cannot be stored');

  const rawDate = cell('date');
  const date = rawDate ? normaliseDate(rawDate) : null;
  if (!rawDate) problems.push('date is empty');
  else if (!date) problems.push(`date "${rawDate.slice(0, 40)}" is not a date (write YYYY-MM-DD)`);
  else if (date > today) problems.push(`date ${date} is in the future`);

  const hours = cell('hours');
  const hoursError = hours ? hoursProblem(hours) : 'hours is empty';
  if (hoursError) problems.push(hours ? `${hoursError} (got "${hours.slice(0, 20)}")` : hoursError);

  if (problems.length > 0 || !ref || !date) return { line: record.line, message: problems.join('; ') };
  return { line: record.line, ref, event, eventKey: normaliseEvent(event), organiser: organiser || null, date, hours };
}

/**
 * The lane a row goes in: FNV-1a of the driver reference the row names (as `checkRow` reads it).
 * Stored imports are resumed by it, so it must never change.
 */
export function laneOf(file: AttendanceFile, record: CsvRecord, lanes: number): number {
  if (lanes <= 1) return 0;
  const ref = cellOf(file, record, 'driverId').toLowerCase() || barePhone(cellOf(file, record, 'phone'));
  let hash = 0x811c9dc5;
  for (let i = 0; i < ref.length; i++) hash = Math.imul(hash ^ ref.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/** The file's rows dealt into `lanes` lanes, each in line order. */
function dealIntoLanes(file: AttendanceFile, lanes: number): CsvRecord[][] {
  const dealt = Array.from({ length: lanes }, () => [] as CsvRecord[]);
  for (const record of file.records) dealt[laneOf(file, record, lanes)]!.push(record);
  return dealt;
}

interface ImportHeader {
  id: string;
  uploadedBy: string | null;
}

type InsertedClaim = {
  id: string;
  driver_id: string;
  event: string;
  activity_date: string;
  hours: string;
  import_line: number;
};

/**
 * Pays the claims a chunk inserted, in line order (caps count in that order), in the chunk's
 * transaction. One set-based call: the whole chunk's payments cost a handful of statements.
 */
export async function payImported(tx: Db, clock: Clock, claims: InsertedClaim[], actorId: string | null): Promise<EarnResult[]> {
  const midnights = new Map<string, Date>(); // a chunk has few distinct dates; time zone maths once each
  const inputs = claims.map((c) => {
    let activityAt = midnights.get(c.activity_date);
    if (!activityAt) midnights.set(c.activity_date, (activityAt = localMidnight(c.activity_date)));
    return {
      driverId: c.driver_id,
      source: 'volunteering' as const,
      sourceId: c.id,
      activityAt,
      units: new Decimal(c.hours),
      actorId,
      reason: `Volunteering: ${c.event} (${c.activity_date}), attendance import line ${c.import_line}`,
    };
  });
  return earnMany(tx, clock, inputs);
}

type ChunkOutcome = { next: number; drivers: string[] } | { stopped: true };

/**
 * One chunk of one lane, one transaction: the lane's row is locked first, and the chunk runs
 * only if the lane's `processed_rows` is where this runner expects it. A second runner over the
 * same import (another process resuming it) waits for the lock, sees the counter has moved past
 * its chunk and skips ahead: each row is processed once, and the counters match the claims.
 */
async function processChunk(
  db: Db,
  clock: Clock,
  imp: ImportHeader,
  file: AttendanceFile,
  lane: { index: number; records: CsvRecord[] },
  start: number,
): Promise<ChunkOutcome> {
  return db.transaction(async (tx) => {
    const state = await queryOne<{ processed_rows: number; status: string }>(
      tx,
      sql`select l.processed_rows, i.status
            from volunteer_import_lanes l join volunteer_imports i on i.id = l.import_id
           where l.import_id = ${imp.id} and l.lane = ${lane.index}
             for update of l`,
    );
    if (!state || state.status !== 'processing') return { stopped: true as const };
    if (state.processed_rows !== start) return { next: state.processed_rows, drivers: [] };

    const now = clock.now();
    const today = localDate(now);
    const records = lane.records.slice(start, start + IMPORT_CHUNK_ROWS);
    const errors: RowError[] = [];
    const valid: ValidRow[] = [];
    for (const record of records) {
      const checked = checkRow(file, record, today);
      if ('message' in checked) errors.push(checked);
      else valid.push(checked);
    }

    // Drivers (with a points wallet to pay into) by phone and by id, in one query.
    const phones = [...new Set(valid.flatMap((v) => ('phone' in v.ref ? [v.ref.phone] : [])))];
    const ids = [...new Set(valid.flatMap((v) => ('driverId' in v.ref ? [v.ref.driverId] : [])))];
    const found =
      phones.length + ids.length === 0
        ? []
        : await queryRows<{ id: string; phone: string }>(
            tx,
            // Two index probes joined by UNION: an OR of the two lists would scan every user.
            sql`select u.id::text as id, u.phone
                  from (select id from users where phone in (select jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))
                        union
                        select id from users where id in (select x::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) x)) m
                  join users u on u.id = m.id
                 where u.role = 'driver'
                   and exists (select 1 from ledger_accounts a where a.kind = 'driver_wallet' and a.owner_id = u.id)`,
          );
    const byPhone = new Map(found.map((u) => [u.phone, u.id]));
    const byId = new Set(found.map((u) => u.id));

    // One claim per driver, event and date: later copies in the same chunk are skipped like
    // copies already in the database.
    const rows: Array<{ driver_id: string; event: string; organiser: string | null; activity_date: string; hours: string; line: number; dedupe_key: string }> = [];
    const keys = new Set<string>();
    let duplicates = 0;
    for (const v of valid) {
      const driverId = 'phone' in v.ref ? byPhone.get(v.ref.phone) : byId.has(v.ref.driverId) ? v.ref.driverId : undefined;
      if (!driverId) {
        errors.push({ line: v.line, message: 'phone' in v.ref ? `no driver with phone ${v.ref.phone}` : `no driver with id ${v.ref.driverId}` });
        continue;
      }
      const dedupeKey = `${driverId}|${v.eventKey}|${v.date}`;
      if (keys.has(dedupeKey)) {
        duplicates++;
        continue;
      }
      keys.add(dedupeKey);
      rows.push({ driver_id: driverId, event: v.event, organiser: v.organiser, activity_date: v.date, hours: v.hours, line: v.line, dedupe_key: dedupeKey });
    }

    const inserted =
      rows.length === 0
        ? []
        : await queryRows<InsertedClaim>(
            tx,
            sql`insert into volunteer_claims
                  (driver_id, event, organiser, activity_date, hours, status, decided_by, decided_at, import_id, import_line, dedupe_key, created_at)
                select r.driver_id, r.event, r.organiser, r.activity_date, r.hours, 'approved', ${imp.uploadedBy}::uuid, ${now.toISOString()}::timestamptz,
                       ${imp.id}::uuid, r.line, r.dedupe_key, ${now.toISOString()}::timestamptz
                  from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                       as r(driver_id uuid, event text, organiser text, activity_date date, hours numeric, line int, dedupe_key text)
                 order by r.line
                on conflict (dedupe_key) do nothing
                returning id::text as id, driver_id::text as driver_id, event, activity_date::text as activity_date, hours::text as hours, import_line`,
          );
    inserted.sort((a, b) => a.import_line - b.import_line);
    await payImported(tx, clock, inserted, imp.uploadedBy);

    errors.sort((a, b) => a.line - b.line);
    const processed = start + records.length;
    await tx.execute(sql`update volunteer_import_lanes set processed_rows = ${processed} where import_id = ${imp.id} and lane = ${lane.index}`);
    // The import's counters add up its lanes'. Last in the transaction: the other lane waits for
    // this row only from here to the commit. The errors kept are the first by line so far.
    const lastChunk = sql`status = 'processing' and processed_rows + ${records.length} >= coalesce(total_rows, ${file.records.length})`;
    await tx.execute(sql`
      update volunteer_imports
         set processed_rows = processed_rows + ${records.length},
             applied = applied + ${inserted.length},
             skipped = skipped + ${rows.length - inserted.length + duplicates},
             errors = case when ${errors.length} = 0 then errors else
                        (select coalesce(jsonb_agg(e order by (e->>'line')::int), '[]'::jsonb)
                           from (select e from jsonb_array_elements(errors || ${JSON.stringify(errors.slice(0, MAX_STORED_ROW_ERRORS))}::jsonb) e
                                  order by (e->>'line')::int limit ${MAX_STORED_ROW_ERRORS}) kept) end,
             status = case when ${lastChunk} then 'done' else status end,
             finished_at = case when ${lastChunk} then ${now.toISOString()}::timestamptz else finished_at end
       where id = ${imp.id}`);
    return { next: processed, drivers: [...new Set(inserted.map((c) => c.driver_id))] };
  });
}

/** Deadlocks and serialisation failures are worth a retry: the chunk is one transaction. */
async function withRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

/**
 * Imports this process is running now, per database handle, so a resume does not start a second
 * runner beside one. (Runners on other handles or processes are kept apart by the row lock.)
 */
const running = new WeakMap<Db, Map<string, Promise<ImportView | undefined>>>();

/**
 * Processes an import from where it stands until it is done. Safe to call again, from this or
 * another process: chunks are claimed under the import row's lock. Never rejects: a failure is
 * recorded on the import (status `failed`, with the reason) when the database lets us.
 * `file` saves parsing the stored content again when the caller has just parsed it.
 */
export function runImport(db: Db, clock: Clock, importId: string, file?: AttendanceFile): Promise<ImportView | undefined> {
  let mine = running.get(db);
  if (!mine) running.set(db, (mine = new Map()));
  const already = mine.get(importId);
  if (already) return already;
  const run = processImport(db, clock, importId, file).finally(() => mine.delete(importId));
  mine.set(importId, run);
  return run;
}

async function processImport(db: Db, clock: Clock, importId: string, parsed?: AttendanceFile): Promise<ImportView | undefined> {
  let at = 0;
  try {
    const [imp] = await db
      .select({
        id: volunteerImports.id,
        uploadedBy: volunteerImports.uploadedBy,
        status: volunteerImports.status,
        processedRows: volunteerImports.processedRows,
        lanes: volunteerImports.lanes,
        content: volunteerImports.content,
      })
      .from(volunteerImports)
      .where(eq(volunteerImports.id, importId));
    if (!imp) return undefined;
    if (imp.status === 'processing') {
      const file = parsed ?? parseAttendance(imp.content);
      // Lanes an import stored without them (a crash before they were written) start afresh;
      // a one-lane import's lane is as far as the import.
      await db.execute(sql`
        insert into volunteer_import_lanes (import_id, lane, processed_rows)
        select ${imp.id}::uuid, g, case when ${imp.lanes} = 1 then ${imp.processedRows} else 0 end
          from generate_series(0, ${imp.lanes - 1}) g
        on conflict do nothing`);
      const paid = new Set<string>();
      const reached = dealIntoLanes(file, imp.lanes).map((records, index) => ({ index, records, at: 0 }));
      let failed = false;
      const runLane = async (lane: (typeof reached)[number]) => {
        while (!failed && lane.at < lane.records.length) {
          const outcome = await withRetry(() => processChunk(db, clock, imp, file, lane, lane.at));
          if ('stopped' in outcome) break;
          lane.at = outcome.next;
          for (const driver of outcome.drivers) paid.add(driver);
          // Let waiting requests in between chunks: on the embedded database (one connection)
          // the next chunk would otherwise take it straight back, and nobody sees the progress.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const lanes = await Promise.allSettled(
        reached.map((lane) =>
          runLane(lane).catch((error: unknown) => {
            failed = true; // the other lanes stop at their next chunk
            throw error;
          }),
        ),
      );
      at = reached.reduce((sum, lane) => sum + lane.at, 0);
      const failure = lanes.find((l) => l.status === 'rejected');
      if (failure) throw failure.reason;
      // Every chunk has committed: the paid drivers' ratings now count the approved hours. One
      // set-based re-grade for the whole file; re-grading per chunk cost far more per driver.
      await onDriverActivity(db, clock, [...paid]);
    }
  } catch (error) {
    processLogger().error({ importId, error: String(error), stack: (error as Error)?.stack }, 'attendance import failed');
    const reason =
      error instanceof AppError
        ? error.message
        : `processing stopped after ${at} rows on an internal error; upload the file again to finish it (rows already applied are skipped, never paid twice)`;
    try {
      await db
        .update(volunteerImports)
        .set({ status: 'failed', failure: reason, finishedAt: clock.now() })
        .where(and(eq(volunteerImports.id, importId), eq(volunteerImports.status, 'processing')));
    } catch {
      // The database is away: the import stays `processing` and resumeImports() picks it up.
    }
  }
  try {
    return await findImport(db, importId);
  } catch {
    return undefined;
  }
}

export interface UploadedFile {
  fileName: string;
  content: Uint8Array;
  uploadedBy: string | null;
}

/**
 * Checks the file as a whole (a bad file is refused with a 422 problem and nothing stored),
 * stores it with its SHA-256, audits the upload, and starts processing it in the background in
 * this process. `done` settles when processing ends (it never rejects); the HTTP route does not
 * wait for it, tests and the benchmark may.
 */
export async function startImport(db: Db, clock: Clock, upload: UploadedFile): Promise<{ import: ImportRow; done: Promise<ImportView | undefined> }> {
  const file = parseAttendance(upload.content);
  const now = clock.now();
  const content = Buffer.from(upload.content.buffer, upload.content.byteOffset, upload.content.byteLength);
  const lanes = file.records.length > IMPORT_CHUNK_ROWS && hasConnectionPool(db) ? IMPORT_LANES : 1;
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(volunteerImports)
      .values({
        fileName: upload.fileName,
        sha256: createHash('sha256').update(content).digest('hex'),
        content,
        status: 'processing',
        totalRows: file.records.length,
        uploadedBy: upload.uploadedBy,
        createdAt: now,
        lanes,
      })
      .returning();
    await tx.insert(volunteerImportLanes).values(Array.from({ length: lanes }, (_, lane) => ({ importId: created!.id, lane })));
    await audit(tx, {
      actorId: upload.uploadedBy,
      action: 'volunteer_import.upload',
      targetType: 'volunteer_import',
      targetId: created!.id,
      after: { fileName: created!.fileName, sha256: created!.sha256, bytes: content.length, rows: file.records.length },
      at: now,
    });
    return created!;
  });
  return { import: row, done: runImport(db, clock, row.id, file) };
}

/**
 * Finishes imports a stopped process left `processing` (call at start-up). Safe to run twice
 * or in two processes at once: chunks are claimed under the import's row lock and rows are
 * idempotent. Returns how many imports it looked at.
 */
export async function resumeImports(db: Db, clock: Clock): Promise<number> {
  const open = await db
    .select({ id: volunteerImports.id })
    .from(volunteerImports)
    .where(eq(volunteerImports.status, 'processing'))
    .orderBy(volunteerImports.createdAt);
  for (const { id } of open) await runImport(db, clock, id);
  return open.length;
}

const summaryColumns = {
  id: volunteerImports.id,
  fileName: volunteerImports.fileName,
  sha256: volunteerImports.sha256,
  status: volunteerImports.status,
  totalRows: volunteerImports.totalRows,
  processedRows: volunteerImports.processedRows,
  applied: volunteerImports.applied,
  skipped: volunteerImports.skipped,
  errors: volunteerImports.errors,
  failure: volunteerImports.failure,
  uploadedBy: volunteerImports.uploadedBy,
  createdAt: volunteerImports.createdAt,
  finishedAt: volunteerImports.finishedAt,
  lanes: volunteerImports.lanes,
};

export type ImportView = Omit<ImportRow, 'content'>;

/** An import without its file content (which can be megabytes). */
export async function findImport(db: Db, id: string): Promise<ImportView | undefined> {
  const [row] = await db.select(summaryColumns).from(volunteerImports).where(eq(volunteerImports.id, id));
  return row;
}

/** Imports, newest first, a page at a time (keyed on created_at, id). */
export async function listImports(db: Db, query: { cursor?: string; limit?: number }): Promise<{ items: ImportView[]; nextCursor: string | null }> {
  const limit = query.limit ?? 20;
  let after;
  if (query.cursor) {
    const c = timeIdCursors.decode(query.cursor)!;
    const at = new Date(c.at);
    after = or(lt(volunteerImports.createdAt, at), and(eq(volunteerImports.createdAt, at), lt(volunteerImports.id, c.id)));
  }
  const rows = await db
    .select(summaryColumns)
    .from(volunteerImports)
    .where(after)
    .orderBy(desc(volunteerImports.createdAt), desc(volunteerImports.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: nextTimeIdCursor(rows.length > limit, last) };
}
