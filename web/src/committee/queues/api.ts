import { query } from '@solidjs/router';
import type * as appeals from '../../../../api/earning/appeals.schemas';
import type * as grid from '../../../../api/earning/grid-reports.schemas';
import type * as volunteering from '../../../../api/earning/volunteering.schemas';
import { http } from '../../api/client';
import type { Wire } from '../../api/wire';

export type Claim = Wire<typeof volunteering.Claim>;
export type ClaimPage = Wire<typeof volunteering.ClaimPage>;
export type ClaimFilter = { status: Claim['status'] | 'all'; order: 'oldest' | 'newest' };

export type Report = Wire<typeof grid.GridReport>;
export type ReportDetail = Wire<typeof grid.GridReportDetail>;
export type ReportPage = Wire<typeof grid.GridReportPage>;
export type ReportStatus = Report['status'];
export type GridCategory = Report['category'];
export type ReportFilter = { status: ReportStatus | 'all'; category: GridCategory | '' };
export type Transition = Wire<typeof grid.TransitionBody>;

export type Appeal = Wire<typeof appeals.Appeal>;
export type AppealPage = Wire<typeof appeals.AppealPage>;
export type AppealFilter = { status: Appeal['status'] | 'all' };
export type Decision = Wire<typeof appeals.DecideBody>;

export const claimPageSize = 50;
export const reportPageSize = 20;
export const appealPageSize = 20;

export const getClaims = query(
  (filter: ClaimFilter, cursor?: string) =>
    http.get<ClaimPage>('/api/volunteering', { query: { ...filter, cursor, limit: claimPageSize } }),
  'committee.claims',
);

export const getClaim = query((id: string) => http.get<Claim>(`/api/volunteering/${id}`), 'committee.claim');

export const approveClaim = (id: string) => http.post<Claim>(`/api/volunteering/${id}/approve`);

export const rejectClaim = (id: string, reason: string) =>
  http.post<Claim>(`/api/volunteering/${id}/reject`, { reason });

export const getReports = query(
  (filter: ReportFilter, cursor?: string) =>
    http.get<ReportPage>('/api/grid-reports', { query: { ...filter, cursor, limit: reportPageSize } }),
  'committee.reports',
);

export const getReport = query((id: string) => http.get<ReportDetail>(`/api/grid-reports/${id}`), 'committee.report');

export const transitionReport = (id: string, body: Transition) =>
  http.post<ReportDetail>(`/api/grid-reports/${id}/transition`, body);

export const getAppeals = query(
  (filter: AppealFilter, cursor?: string) =>
    http.get<AppealPage>('/api/appeals', { query: { ...filter, cursor, limit: appealPageSize } }),
  'committee.appeals',
);

export const decideAppeal = (id: string, body: Decision) => http.post<Appeal>(`/api/appeals/${id}/decide`, body);

/** The evidence photo of a claim or report; the API serves it to its owner and the committee. */
export const photoUrl = (photoId: string) => `/api/photos/${photoId}`;
