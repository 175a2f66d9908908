import { CODE_LENGTH, type CodeCheck, normaliseCode } from '../../../api/market/voucher-code';
import { ApiProblem, ApiUnreachable, problemCode } from '../api/client';
import { errorWords } from '../api/error-words';
import { type MessageKey, t } from './messages';

/** Why a typed code cannot be a voucher code, said before anything is sent. */
export function codeCheckWords(check: Exclude<CodeCheck, { ok: true }>, typed: string): string {
  switch (check.reason) {
    case 'length':
      return typed.trim() === ''
        ? t('desk.code.missing')
        : t('desk.code.length', { expected: CODE_LENGTH, count: normaliseCode(typed).length });
    case 'characters':
      return t('desk.code.characters', { characters: (check.wrong ?? []).join(' ') });
    case 'check':
      return t('desk.code.typo');
  }
}

const voucherProblems: Record<string, MessageKey> = {
  'voucher-typo': 'desk.code.typo',
  'voucher-not-found': 'desk.problem.notFound',
  'voucher-wrong-partner': 'desk.problem.wrongPartner',
  'voucher-used': 'desk.problem.used',
  'voucher-cancelled': 'desk.problem.cancelled',
  'voucher-rejected': 'desk.problem.rejected',
  'voucher-expired': 'desk.problem.expired',
  'redemption-not-found': 'desk.problem.notFound',
};

export { problemCode };

/**
 * Why a voucher cannot be honoured, in the desk's own words (the API's details are English
 * only); anything else as the app says errors.
 */
export function voucherProblemWords(error: unknown): string {
  const key = voucherProblems[problemCode(error) ?? ''];
  if (key) return t(key);
  return errorWords(error).message;
}

/** A confirm or reject whose answer never came: it may or may not have gone through. */
export function isUnanswered(error: unknown): boolean {
  return error instanceof ApiUnreachable;
}
