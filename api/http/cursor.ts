import { AppError } from '../errors';

/**
 * An opaque page cursor: a small position (the sort key of the last item served) as base64url
 * JSON. `isPosition` says whether a decoded value is one of ours; anything else, tampered or
 * from another list, is a 400 naming the `cursor` field.
 */
export function cursorCodec<Position>(isPosition: (value: Record<string, unknown>) => boolean) {
  return {
    encode: (position: Position): string => Buffer.from(JSON.stringify(position)).toString('base64url'),
    /** No cursor (undefined) is the first page; anything given must be one of ours. */
    decode(raw: string | undefined): Position | null {
      if (raw === undefined) return null;
      try {
        const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
        if (typeof value === 'object' && value !== null && isPosition(value as Record<string, unknown>)) return value as Position;
      } catch {
        // not ours
      }
      throw new AppError('validation_failed', 'cursor is not one this API returned', {
        fields: [{ path: 'cursor', message: 'invalid cursor' }],
      });
    },
  };
}

/** The position most lists use: the last item's time (ISO) and its UUID, newest or oldest first. */
export interface TimeIdPosition {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isCursorUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](0\d|1[0-5]):?[0-5]\d)$/;

/**
 * A time as our cursors write it (ISO 8601, years 1–9999, a day the month has), so that
 * PostgreSQL reads it as a timestamptz. Date.parse alone lets through years like +275760 and
 * forms PostgreSQL rejects, which would fail in the query as a 500 instead of a 400.
 */
export function isCursorTime(v: unknown): v is string {
  const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
  if (!m) return false;
  const [year, month, day, hour] = m.slice(1, 5).map(Number) as [number, number, number, number];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && Number(m[6]) <= 59 && Number(m[5]) <= 59;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export const timeIdCursors = cursorCodec<TimeIdPosition>((c) => isCursorTime(c.at) && isCursorUuid(c.id));

/** The cursor after `last`, when the page was full and more rows follow; else null. */
export function nextTimeIdCursor(more: boolean, last: { createdAt: Date; id: string } | undefined): string | null {
  return more && last ? timeIdCursors.encode({ at: last.createdAt.toISOString(), id: last.id }) : null;
}
