import type { Db } from './client';

const EFFECTS = Symbol('after-commit effects');

type WithEffects = { [EFFECTS]?: Array<() => void> };

/**
 * Runs `effect` once the work it belongs to is durable: at once outside a transaction, after
 * COMMIT inside one opened by a `Db` from `createDb`, never when that transaction rolls back (a
 * deadlock retry runs its work again and so records its effects again, once).
 */
export function afterCommit(db: Db, effect: () => void): void {
  const effects = (db as WithEffects)[EFFECTS];
  if (effects) effects.push(effect);
  else effect();
}

/** Gives every transaction of `db` a list of effects that runs when its COMMIT has returned. */
export function withAfterCommit(db: Db): Db {
  const begin = db.transaction.bind(db);
  const transaction = async (work: (tx: Db) => Promise<unknown>, config?: unknown) => {
    const effects: Array<() => void> = [];
    const result = await begin((tx) => {
      (tx as WithEffects)[EFFECTS] = effects;
      return work(tx as unknown as Db);
    }, config as never);
    for (const effect of effects) effect();
    return result;
  };
  db.transaction = transaction as Db['transaction'];
  return db;
}
