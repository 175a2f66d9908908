import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client';
import { sqlState } from './errors';

/** A deadlock or serialization failure: the whole transaction can simply run again. */
export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/**
 * Runs `work` in a transaction, retried (a few times, with jitter) on a deadlock or serialization
 * failure; inside the caller's transaction it just runs (the caller owns the retry).
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db as unknown as Db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Db));
    } catch (error) {
      if (!isRetryable(error) || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
