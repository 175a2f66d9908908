import { query } from '@solidjs/router';
import type { z } from 'zod';
import type * as expiry from '../../../api/earning/expiry.schemas';
import type * as inbox from '../../../api/earning/inbox.schemas';
import type * as ledger from '../../../api/ledger/ledger.schemas';
import type * as market from '../../../api/market/market.schemas';
import type * as rating from '../../../api/rating/rating.schemas';
import { http, withRetries } from '../api/client';
import type { Wire } from '../api/wire';

export type Wallet = Wire<typeof ledger.Wallet>;
export type Statement = Wire<typeof ledger.Statement>;
export type StatementLine = Wire<typeof ledger.StatementLine>;
export type Offer = Wire<typeof market.Offer>;
export type OfferPage = Wire<typeof market.OfferPage>;
export type RegionList = Wire<typeof market.RegionList>;
export type Redemption = Wire<typeof market.Redemption>;
export type Rating = Wire<typeof rating.RatingSchema>;
export type NextGrade = NonNullable<Rating['next']>;
export type Grade = Rating['grade'];
export type PointsExpiry = Wire<typeof expiry.PointsExpiry>;
export type Notification = Wire<typeof inbox.Notification>;
export type NotificationPage = Wire<typeof inbox.NotificationPage>;

/** The catalog's query string as the API reads it (before its coercions). */
export type CatalogParams = Omit<z.input<typeof market.CatalogQuery>, 'status' | 'partnerId'>;

const read = <T>(path: string, query?: Record<string, string | number | undefined>) =>
  withRetries(() => http.get<T>(path, { query }));

// Keys are chosen so that none is a prefix of another: revalidate() matches keys by prefix.
export const getWallet = query(() => read<Wallet>('/api/me/wallet'), 'shop.wallet');
export const getRating = query(() => read<Rating>('/api/me/rating'), 'shop.rating');
export const getExpiry = query(() => read<PointsExpiry>('/api/me/points-expiry'), 'shop.expiry');

export const getInbox = query(
  (params: { unread?: 'true'; limit?: number; cursor?: string }) =>
    read<NotificationPage>('/api/me/notifications', params),
  'shop.inbox',
);

/** The home page's glimpse of the inbox. */
export const latestUnread = { unread: 'true', limit: 3 } as const;

export const getStatement = query(
  (cursor?: string) => read<Statement>('/api/me/statement', { cursor, limit: 30 }),
  'shop.statement',
);

export const getCatalog = query(
  (params: CatalogParams) => read<OfferPage>('/api/offers', params as Record<string, string | undefined>),
  'shop.catalog',
);

export const getRegions = query(
  () => read<RegionList>('/api/offer-regions'),
  'shop.regions',
);

export const getOffer = query((id: string) => read<Offer>(`/api/offers/${encodeURIComponent(id)}`), 'shop.offerPage');

export const getVouchers = query(
  () => read<{ items: Redemption[] }>('/api/me/redemptions'),
  'shop.vouchers',
);

export const getVoucher = query(
  (id: string) => read<Redemption>(`/api/me/redemptions/${encodeURIComponent(id)}`),
  'shop.voucherPage',
);

/**
 * Redeems `offerId` under `idempotencyKey`, retrying a dropped connection with the same key: the
 * server answers a repeat with the first voucher, so a flaky phone never pays twice.
 */
export function redeem(offerId: string, idempotencyKey: string): Promise<Redemption> {
  return withRetries(() => http.post<Redemption>('/api/redemptions', { offerId }, { idempotencyKey }));
}

/** Cancelling twice is refused (409), never doubled, but it carries no key, so it is not retried. */
export function cancelVoucher(id: string): Promise<{ id: string; status: 'cancelled' }> {
  return http.post(`/api/redemptions/${encodeURIComponent(id)}/cancel`);
}

export function markRead(id: string): Promise<Notification> {
  return http.post<Notification>(`/api/me/notifications/${encodeURIComponent(id)}/read`);
}
