import { query } from '@solidjs/router';
import type * as appeals from '../../../api/earning/appeals.schemas';
import type * as reports from '../../../api/earning/grid-reports.schemas';
import type * as rules from '../../../api/earning/rules.schemas';
import type * as safety from '../../../api/earning/safety.schemas';
import type * as volunteering from '../../../api/earning/volunteering.schemas';
import { http, withRetries } from '../api/client';
import type { Wire } from '../api/wire';

export type Claim = Wire<typeof volunteering.Claim>;
export type ClaimPage = Wire<typeof volunteering.ClaimPage>;
export type ClaimBody = Wire<typeof volunteering.ClaimBody>;
export type ClaimStatus = Claim['status'];

export type GridReport = Wire<typeof reports.GridReport>;
export type GridReportPage = Wire<typeof reports.GridReportPage>;
export type GridReportDetail = Wire<typeof reports.GridReportDetail>;
export type GridReportEvent = Wire<typeof reports.GridReportEvent>;
export type GridCategory = Wire<typeof reports.GridCategorySchema>;
export type ReportStatus = Wire<typeof reports.ReportStatusSchema>;

export type Appeal = Wire<typeof appeals.Appeal>;
export type AppealPage = Wire<typeof appeals.AppealPage>;
export type AppealBody = Wire<typeof appeals.AppealBody>;
export type SubjectType = Wire<typeof appeals.SubjectType>;

export type MySafety = Wire<typeof safety.MySafety>;
export type SafetyEvent = Wire<typeof safety.SafetyEvent>;

export type EarningRates = Wire<typeof rules.EarningRates>;
export type EarningRate = EarningRates['items'][number];

type Query = Record<string, string | number | undefined>;

/** Reads retry a dropped connection; they change nothing, so asking twice is harmless. */
const read = <T>(path: string, query?: Query) => withRetries(() => http.get<T>(path, { query }));
const id = (value: string) => encodeURIComponent(value);

export const getMySafety = query(() => read<MySafety>('/api/me/safety'), 'earn.mySafety');
export const getEarningRates = query(() => read<EarningRates>('/api/me/earning-rates'), 'earn.rates');

export const getMyClaims = query(
  (cursor?: string) => read<ClaimPage>('/api/volunteering', { cursor }),
  'earn.myClaims',
);
export const getClaim = query((claimId: string) => read<Claim>(`/api/volunteering/${id(claimId)}`), 'earn.claim');

export const getMyReports = query(
  (cursor?: string) => read<GridReportPage>('/api/grid-reports', { cursor }),
  'earn.myReports',
);
export const getReport = query(
  (reportId: string) => read<GridReportDetail>(`/api/grid-reports/${id(reportId)}`),
  'earn.report',
);

export const getMyAppeals = query(
  (cursor?: string) => read<AppealPage>('/api/appeals', { cursor, limit: 50 }),
  'earn.myAppeals',
);

/**
 * JSON without a photo; multipart (the same fields and `photo`) with one. Retried with the same
 * key when the connection drops: the server files the claim once.
 */
export const submitClaim = (body: ClaimBody | FormData, idempotencyKey: string) =>
  withRetries(() => http.post<Claim>('/api/volunteering', body, { idempotencyKey }));

/** multipart: photo, lat, lng, category, note. Retried with the same key: the server files the report once. */
export const fileReport = (form: FormData, idempotencyKey: string) =>
  withRetries(() => http.post<GridReport>('/api/grid-reports', form, { idempotencyKey }));

// Appeals take no Idempotency-Key on the server, so they are never retried automatically.

export const fileAppeal = (body: AppealBody) => http.post<Appeal>('/api/appeals', body);
