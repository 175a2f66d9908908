import type { Appeal, SubjectType } from './api';

/** Where the appeal form for a subject is. */
export function appealHref(kind: SubjectType, id: string): string {
  return `/earn/appeals/new?kind=${kind}&id=${encodeURIComponent(id)}`;
}

/**
 * The latest appeal on each subject (the list comes newest first), so a rejected claim or report
 * can say "appeal under review" instead of offering a second one the server would refuse.
 */
export function latestAppeals(appeals: Appeal[] | undefined): Map<string, Appeal> {
  const bySubject = new Map<string, Appeal>();
  for (const appeal of appeals ?? []) {
    const key = `${appeal.subjectType}:${appeal.subjectId}`;
    if (!bySubject.has(key)) bySubject.set(key, appeal);
  }
  return bySubject;
}
