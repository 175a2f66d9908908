import { query } from '@solidjs/router';
import type * as drivers from '../../../../api/drivers/drivers.schemas';
import type * as ledger from '../../../../api/ledger/ledger.schemas';
import type * as rating from '../../../../api/rating/rating.schemas';
import type * as reports from '../../../../api/reports/reports.schemas';
import { http, withRetries } from '../../api/client';
import type { Wire } from '../../api/wire';

export type Summary = Wire<typeof reports.Summary>;
export type AuditEntry = Wire<typeof reports.AuditEntry>;
export type AuditPage = Wire<typeof reports.AuditPage>;
export type DriverSummary = Wire<typeof drivers.DriverSummary>;
export type DriverPage = Wire<typeof drivers.DriverPage>;
export type DriverProfile = Wire<typeof drivers.DriverProfile>;
export type Activities = DriverProfile['activities'];
export type Statement = Wire<typeof ledger.Statement>;
export type StatementLine = Wire<typeof ledger.StatementLine>;
export type Rating = Wire<typeof rating.RatingSchema>;

/** Audit log filters as the API reads them; empty ones are left out of the query string. */
export interface AuditFilters {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
}

const read = <T>(path: string, params?: Record<string, string | number | undefined>) =>
  withRetries(() => http.get<T>(path, { query: params }));
const driverPath = (id: string, rest = '') => `/api/drivers/${encodeURIComponent(id)}${rest}`;

// Keys are chosen so that none is a prefix of another: revalidate() matches keys by prefix.
export const getSummary = query(
  (period: { from?: string; to?: string }) => read<Summary>('/api/reports/summary', period),
  'insight.summary',
);

export const getDrivers = query(
  (q: string, cursor?: string) => read<DriverPage>('/api/drivers', { q, cursor }),
  'insight.driverSearch',
);

export const getDriver = query((id: string) => read<DriverProfile>(driverPath(id)), 'insight.driverProfile');

export const getDriverRating = query((id: string) => read<Rating>(driverPath(id, '/rating')), 'insight.driverRating');

export const getDriverStatement = query(
  (id: string, cursor?: string) => read<Statement>(driverPath(id, '/statement'), { cursor, limit: 20 }),
  'insight.driverStatement',
);

export const getAuditLog = query(
  (filters: AuditFilters, cursor?: string) => read<AuditPage>('/api/audit-log', { ...filters, cursor, limit: 30 }),
  'insight.auditLog',
);
