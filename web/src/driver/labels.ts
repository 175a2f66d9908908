import type { Offer, Redemption } from './api';
import type { Category } from './catalog-filters';
import { t } from './messages';

export function categoryWords(category: Category): string {
  return t(`shop.category.${category}`);
}

export function voucherStatusWords(status: Redemption['status']): string {
  return t(`shop.voucherStatus.${status}`);
}

/** "1 per month", "2 in total": how often one driver may redeem an offer. */
export function limitWords(offer: Pick<Offer, 'perDriverLimit' | 'limitPeriod'>): string {
  return t(`shop.limit.${offer.limitPeriod}`, { count: offer.perDriverLimit });
}
