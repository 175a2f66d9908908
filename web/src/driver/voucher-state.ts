import type { Redemption } from './api';

/**
 * The voucher's state as the counter will treat it: a held voucher past its expiry is already
 * refused at the desk, even before the nightly run marks it expired.
 */
export function effectiveStatus(voucher: Redemption, now: number = Date.now()): Redemption['status'] {
  return voucher.status === 'held' && Date.parse(voucher.expiresAt) <= now ? 'expired' : voucher.status;
}

export const isUsable = (voucher: Redemption): boolean => effectiveStatus(voucher) === 'held';
