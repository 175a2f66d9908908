import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client';
import { sqlState } from './errors';

/** A deadlock or serialization failure: the whole transaction can simply run again. */
export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/**
 * Runs `work` (a statement or transaction of its own), again (a few times, with jitter) on a
 * deadlock or serialization failure; inside the caller's transaction it just runs, since the
 * caller must retry the whole unit.
 */
export async function retryConflicts<T>(db: Db, work: () => Promise<T>, { attempts = 8, jitterMs = 5 } = {}): Promise<T> {
  if (db instanceof PgTransaction) return work();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * jitterMs * attempt));
    }
  }
}

/**
 * Runs `work` in a transaction, retried (a few times, with jitter) on a deadlock or serialization
 * failure; inside the caller's transaction it just runs (the caller owns the retry).
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db as unknown as Db);
  return retryConflicts(db, () => db.transaction((tx) => work(tx as unknown as Db)), { attempts: 5, jitterMs: 20 });
}
