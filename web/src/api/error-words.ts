import { t } from '../i18n';
import { ApiProblem, ApiUnreachable, problemCode, type ProblemFieldError } from './client';

/** What to tell the person about a failed call: a sentence, maybe a hint, and per-input errors. */
export interface ErrorWords {
  message: string;
  hint?: string;
  fieldErrors: ProblemFieldError[];
}

/**
 * Turns anything an API call or action threw into words. The server's `detail` is the best
 * sentence when there is one; otherwise a message chosen by what went wrong.
 */
export function errorWords(error: unknown): ErrorWords {
  if (error instanceof ApiUnreachable) {
    return { message: t('error.unreachable'), fieldErrors: [] };
  }
  if (error instanceof ApiProblem) {
    // The same Idempotency-Key with another body: the person edited the form after a send that
    // got no answer (intent-key.ts keeps its key, in case it arrived).
    if (problemCode(error) === 'idempotency-conflict') return { message: t('error.changedAfterUnanswered'), fieldErrors: [] };
    return {
      message: error.detail || fallbackMessage(error),
      hint: retryHint(error.retryAfterSeconds),
      fieldErrors: error.errors,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: t('error.generic', { message }), fieldErrors: [] };
}

/** The first message for the input named `path`, if the problem names it. */
export function fieldError(words: ErrorWords | undefined, path: string): string | undefined {
  return words?.fieldErrors.find((e) => e.path === path)?.message;
}

function fallbackMessage(problem: ApiProblem): string {
  if (problem.status === 429) return t('error.tooManyAttempts');
  if (problem.status >= 500) return t('error.unexpected', { status: problem.status });
  return problem.title;
}

function retryHint(seconds: number | undefined): string | undefined {
  if (seconds === undefined || seconds <= 0) return undefined;
  if (seconds < 90) return t('error.retryAfterSeconds', { seconds });
  return t('error.retryAfterMinutes', { minutes: Math.ceil(seconds / 60) });
}
