import type { OfferStatus } from './api';

/** The statuses in the order the console offers them: the approval queue first. */
export const offerStatusList: OfferStatus[] = ['pending_approval', 'active', 'paused', 'draft', 'retired'];

/** The status filter from the address; the approval queue when none (or a wrong one) is given. */
export function offerStatusFrom(value: unknown): OfferStatus {
  return offerStatusList.find((status) => status === value) ?? 'pending_approval';
}
