import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, toProblem, type ProblemCode } from '../errors';
import { unstorableTextMessage } from './text';
import { sqlState } from '../../db/errors';
import { processLogger, type Logger } from '../ops/log';

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_ENDED', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/** Connection loss and server shutdown are the database being away, not a bug: 503. */
function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_ERRORS.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) {
      return true;
    }
    // PGlite has no error code for this: it is what a request in flight during shutdown meets.
    if (e instanceof Error && e.message === 'PGlite is closed') return true;
  }
  return false;
}

/**
 * Text PostgreSQL cannot store (NUL, or a lone surrogate escaped in JSON) that a schema let
 * through fails only at the database: it is still the client's input, so 400, not a 500.
 */
function isUnstorableText(error: unknown): boolean {
  const state = sqlState(error);
  return state === '22021' || state === '22P05';
}

/**
 * A date the schema accepted but PostgreSQL cannot store (year 0, or past 9999) fails only at the
 * database (datetime_field_overflow, invalid_datetime_format): still the client's input, so 400.
 */
function isUnstorableDate(error: unknown): boolean {
  const state = sqlState(error);
  return state === '22008' || state === '22007';
}

function fromHttpException(error: HTTPException): AppError {
  const byStatus: Partial<Record<number, ProblemCode>> = {
    400: 'malformed_request',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  };
  const code = byStatus[error.status] ?? (error.status >= 500 ? 'internal' : 'malformed_request');
  return new AppError(code, error.message || undefined);
}

/** Turns anything thrown into RFC 9457 problem+json. Unexpected errors are logged, never shown. */
export function renderError(error: unknown, c: Context) {
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else if (error instanceof HTTPException) appError = fromHttpException(error);
  else if (isDatabaseUnavailable(error)) appError = new AppError('unavailable', 'the database is not reachable; try again shortly');
  else if (isUnstorableText(error)) appError = new AppError('validation_failed', unstorableTextMessage);
  else if (isUnstorableDate(error)) appError = new AppError('validation_failed', 'a date or time is outside what can be stored: use a year from 1 to 9999');
  else {
    const logger: Logger = c.get('logger') ?? processLogger();
    logger.error({ path: c.req.path, requestId: c.get('requestId'), error: String(error), stack: (error as Error)?.stack }, 'unhandled error');
    appError = new AppError('internal', `reference ${c.get('requestId') ?? 'unknown'} when you report this`);
  }
  return problemResponse(c, appError);
}

export function problemResponse(c: Context, error: AppError) {
  const body = toProblem(error, c.req.path);
  return c.body(JSON.stringify(body), error.status, {
    'content-type': 'application/problem+json',
    ...(error.headers ?? {}),
  });
}
