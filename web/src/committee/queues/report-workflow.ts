import type { ReportStatus, Transition } from './api';

/** A step of a grid report's workflow, as the committee takes it. */
export type ReportStep = 'verify' | 'forward' | 'resolve' | 'close' | 'reject' | 'duplicate';

/**
 * The steps open to a report in each status: collect → verify (pays) → forward to a department →
 * resolve → close, or at the start reject or mark a duplicate. The API refuses any other move
 * (409); the console offers only these.
 */
export const stepsFor: Record<ReportStatus, readonly ReportStep[]> = {
  submitted: ['verify', 'reject', 'duplicate'],
  verified: ['forward'],
  forwarded: ['resolve'],
  resolved: ['close'],
  closed: [],
  rejected: [],
  duplicate: [],
};

export const stepTarget: Record<ReportStep, Transition['to']> = {
  verify: 'verified',
  forward: 'forwarded',
  resolve: 'resolved',
  close: 'closed',
  reject: 'rejected',
  duplicate: 'duplicate',
};

/** The key that takes each step in the queue. */
export const stepKey: Record<ReportStep, string> = {
  verify: 'v',
  forward: 'f',
  resolve: 's',
  close: 'c',
  reject: 'r',
  duplicate: 'd',
};

/** Steps that need a word first, and the transition field it goes in. */
export const stepInput: Partial<Record<ReportStep, 'department' | 'reason' | 'duplicateOf'>> = {
  forward: 'department',
  reject: 'reason',
  duplicate: 'duplicateOf',
};

export function transitionFor(step: ReportStep, value?: string): Transition {
  const field = stepInput[step];
  return field && value !== undefined ? { to: stepTarget[step], [field]: value } : { to: stepTarget[step] };
}

export const shortId = (id: string) => id.slice(0, 8);
