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

export const timeIdCursors = cursorCodec<TimeIdPosition>(
  (c) => typeof c.at === 'string' && !Number.isNaN(Date.parse(c.at)) && typeof c.id === 'string' && UUID.test(c.id),
);

/** The cursor after `last`, when the page was full and more rows follow; else null. */
export function nextTimeIdCursor(more: boolean, last: { createdAt: Date; id: string } | undefined): string | null {
  return more && last ? timeIdCursors.encode({ at: last.createdAt.toISOString(), id: last.id }) : null;
}
