import { ApiProblem, problemCode } from '../api/client';
import { errorWords } from '../api/error-words';
import { formatPoints } from '../i18n';
import type { Offer } from './api';
import { limitWords } from './labels';
import { t } from './messages';

export { problemCode };

/** Why the API refused to redeem `offer`, in the person's language, with what to do about it. */
export function refusalWords(error: unknown, offer: Offer): string {
  switch (problemCode(error)) {
    case 'insufficient-funds':
      return t('shop.refusal.insufficientFunds', { price: formatPoints(offer.yourPrice) });
    case 'out-of-stock':
      return t('shop.refusal.outOfStock');
    case 'grade-too-low':
      return t('shop.refusal.gradeTooLow', { grade: offer.minGrade ?? '' });
    case 'limit-reached':
      return t('shop.refusal.limitReached', { limit: limitWords(offer) });
    case 'offer-not-active':
      return t('shop.refusal.offerNotActive');
    case 'offer-not-found':
      return t('shop.refusal.offerNotFound');
    default:
      return errorWords(error).message;
  }
}

/**
 * A refusal is final: the server decided, and the same key would only replay its answer. After
 * anything else (no answer, too many attempts, a server fault) the outcome may be unknown, so a
 * retry must carry the same key.
 */
export function isRefusal(error: unknown): boolean {
  return error instanceof ApiProblem && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}
