import { AppError } from '../errors';

/**
 * An opaque page cursor: a small position (the sort key of the last item served) as base64url
 * JSON. `isPosition` says whether a decoded value is one of ours; anything else, tampered or
 * from another list, is a 400 naming the `cursor` field.
 */
export function cursorCodec<Position>(isPosition: (value: Record<string, unknown>) => boolean) {
  return {
    encode: (position: Position): string => Buffer.from(JSON.stringify(position)).toString('base64url'),
    decode(raw: string | undefined): Position | null {
      if (!raw) return null;
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
