import { query, revalidate } from '@solidjs/router';
import type * as market from '../../../api/market/market.schemas';
import { http, withRetries } from '../api/client';
import type { Wire } from '../api/wire';

/** A voucher as the desk sees it: what to honour, for whom. */
export type Honour = Wire<typeof market.Honour>;
export type PartnerStatement = Wire<typeof market.PartnerStatement>;
export type StatementLine = PartnerStatement['lines'][number];

/** `[from, to)` as instants with their offset, as the statement takes them. */
export interface Period {
  from: string;
  to: string;
}

/** Looks a code up; changes nothing, so a dropped connection simply asks again. */
export function lookupVoucher(code: string): Promise<Honour> {
  return withRetries(() => http.get<Honour>('/api/partner/redemptions/lookup', { query: { code } }));
}

/**
 * Honours a voucher, in full or for `amount` points. Not retried: the API takes no
 * Idempotency-Key here, and a second confirm of a voucher that went through reads "already used".
 */
export async function confirmVoucher(code: string, amount?: string): Promise<Honour> {
  const honoured = await http.post<Honour>('/api/partner/redemptions/confirm', amount ? { code, amount } : { code });
  statementChanged();
  return honoured;
}

export async function rejectVoucher(id: string, reason: string): Promise<{ id: string; status: 'rejected' }> {
  const rejected = await http.post<{ id: string; status: 'rejected' }>(`/api/partner/redemptions/${id}/reject`, { reason });
  statementChanged();
  return rejected;
}

/** A voucher honoured or refused at the desk: the statement (Today's list, the month) is read afresh when next shown. */
const statementChanged = () => void revalidate(getStatement.key);

export const getStatement = query(
  (period: Period) => withRetries(() => http.get<PartnerStatement>('/api/partner/statement', { query: { ...period } })),
  'partnerStatement',
);

export function downloadStatementCsv(period: Period): Promise<Blob> {
  return withRetries(() => http.blob('/api/partner/statement', { query: { ...period, format: 'csv' } }));
}
