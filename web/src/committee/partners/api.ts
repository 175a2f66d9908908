import { query } from '@solidjs/router';
import type * as auth from '../../../../api/auth/auth.schemas';
import type * as drivers from '../../../../api/drivers/drivers.schemas';
import type * as awards from '../../../../api/earning/awards.schemas';
import type * as ledger from '../../../../api/ledger/ledger.schemas';
import type * as market from '../../../../api/market/market.schemas';
import type * as partners from '../../../../api/partners/partners.schemas';
import { http, withRetries } from '../../api/client';
import type { Wire } from '../../api/wire';

export type Partner = Wire<typeof partners.Partner>;
export type NewPartner = Wire<typeof partners.CreatePartnerBody>;
export type NewStaff = Wire<typeof auth.CreateStaffBody>;
export type StaffCreated = { user: Wire<typeof auth.UserRef> };
export type Settlement = Wire<typeof market.Settlement>;
export type Offer = Wire<typeof market.Offer>;
export type OfferPage = Wire<typeof market.OfferPage>;
export type OfferStatus = Offer['status'];
export type NewOffer = Wire<typeof market.CreateOfferBody>;
export type DriverSummary = Wire<typeof drivers.DriverSummary>;
export type DriverPage = Wire<typeof drivers.DriverPage>;
export type DriverProfile = Wire<typeof drivers.DriverProfile>;
export type AwardBody = Wire<typeof awards.AwardBody>;
export type Award = Wire<typeof awards.Award>;
export type AdjustmentBody = Wire<typeof ledger.AdjustmentBody>;
export type TransferCreated = Wire<typeof ledger.TransferCreated>;

// ---- partners

export const getPartners = query(
  () => withRetries(() => http.get<{ items: Partner[] }>('/api/partners')),
  'adminPartners',
);

export function createPartner(body: NewPartner): Promise<Partner> {
  return http.post<Partner>('/api/partners', body);
}

export function addStaff(partnerId: string, body: NewStaff): Promise<StaffCreated> {
  return http.post<StaffCreated>(`/api/partners/${partnerId}/staff`, body);
}

/** Settles `[from, to)`; the key is made when the person opens the confirmation, once. */
export function recordSettlement(partnerId: string, period: { from: string; to: string }, idempotencyKey: string): Promise<Settlement> {
  return withRetries(() => http.post<Settlement>(`/api/partners/${partnerId}/settlements`, period, { idempotencyKey }));
}

// ---- offers

export interface OfferFilter {
  status: OfferStatus;
  cursor?: string;
}

export const getOffers = query(
  (filter: OfferFilter) => withRetries(() => http.get<OfferPage>('/api/offers', { query: { ...filter, limit: 50 } })),
  'adminOffers',
);

export function createOffer(body: NewOffer): Promise<Offer> {
  return http.post<Offer>('/api/offers', body);
}

export function approveOffer(id: string): Promise<Offer> {
  return http.post<Offer>(`/api/offers/${id}/approve`);
}

/** Submit a draft, pause, resume or retire. */
export function setOfferStatus(id: string, status: Exclude<OfferStatus, 'draft'>): Promise<Offer> {
  return http.patch<Offer>(`/api/offers/${id}`, { status });
}

// ---- drivers, awards and adjustments

/** Drivers whose name, phone or plate contains `q` (GET /api/drivers?q=). */
export function searchDrivers(q: string, signal?: AbortSignal): Promise<DriverPage> {
  return http.get<DriverPage>('/api/drivers', { query: { q, limit: 8 }, signal });
}

export function getDriver(id: string, signal?: AbortSignal): Promise<DriverProfile> {
  return http.get<DriverProfile>(`/api/drivers/${id}`, { signal });
}

export function grantAward(body: AwardBody, idempotencyKey: string): Promise<Award> {
  return withRetries(() => http.post<Award>('/api/awards', body, { idempotencyKey }));
}

export function adjustPoints(body: AdjustmentBody, idempotencyKey: string): Promise<TransferCreated> {
  return withRetries(() => http.post<TransferCreated>('/api/ledger/adjustments', body, { idempotencyKey }));
}
