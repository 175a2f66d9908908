import { ApiProblem, ApiUnreachable, newIdempotencyKey } from '../api/client';

/**
 * The Idempotency-Key of one thing the user means to send: the same key while a send's outcome is
 * unknown (the connection dropped or the server failed, so sending again must not do it twice), a
 * new one once a send got a definite answer (sending again is then a new intent).
 */
export function intentKey() {
  let unanswered: string | undefined;
  return {
    next: (): string => (unanswered ??= newIdempotencyKey()),
    /** Call with a send's failure: only a send whose outcome is unknown (no answer, or the server failing) keeps its key. */
    failed: (error: unknown): void => {
      const unknown = error instanceof ApiUnreachable || (error instanceof ApiProblem && error.status >= 500);
      if (!unknown) unanswered = undefined;
    },
  };
}
