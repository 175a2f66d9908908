import type { Db } from '../../db/client';
import { notifications, type Grade } from '../../db/schema/index';
import { notify, type NotifyInput } from '../earning/inbox';
import { GRADE_ORDER } from './policy';

/** A grade change the engine wrote (one history row). */
export interface GradeChange {
  historyId: string;
  driverId: string;
  grade: Grade;
  /** Null on a driver's first rating (they counted as B until then). */
  previousGrade: Grade | null;
  score: string;
  policyVersion: number;
}

/** The inbox message for a grade change; once per history row (`dedupeKey`). */
export function gradeChangeNotice(change: GradeChange, at: Date): NotifyInput {
  const before = change.previousGrade ?? 'B';
  const up = GRADE_ORDER.indexOf(change.grade) > GRADE_ORDER.indexOf(before);
  const from = change.previousGrade ? `from ${change.previousGrade}` : 'from B (your first rating)';
  return {
    userId: change.driverId,
    kind: 'rating_changed',
    title: `Your credit rating is now ${change.grade}`,
    body: `${up ? 'Up' : 'Down'} ${from}: your score is ${change.score} out of 100. See your rating for the breakdown and what the next grade needs.`,
    data: { grade: change.grade, previousGrade: change.previousGrade, score: change.score, policyVersion: change.policyVersion, historyId: change.historyId },
    dedupeKey: `rating:${change.historyId}`,
    at,
  };
}

const CHUNK = 2_000;

/**
 * Tells drivers their grade changed, in the transaction that changed it. One change goes
 * through the inbox's `notify()`; a full re-grade's many go in as multi-row inserts of the
 * same messages.
 */
export async function notifyGradeChanges(tx: Db, changes: readonly GradeChange[], at: Date): Promise<void> {
  if (changes.length === 1) {
    await notify(tx, gradeChangeNotice(changes[0]!, at));
    return;
  }
  for (let i = 0; i < changes.length; i += CHUNK) {
    const rows = changes.slice(i, i + CHUNK).map((c) => {
      const n = gradeChangeNotice(c, at);
      return { userId: n.userId, kind: n.kind, title: n.title, body: n.body, data: n.data ?? null, dedupeKey: n.dedupeKey ?? null, createdAt: at };
    });
    await tx.insert(notifications).values(rows).onConflictDoNothing({ target: notifications.dedupeKey });
  }
}
