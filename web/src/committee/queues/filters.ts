import type { SearchParams } from '@solidjs/router';
import type { AppealFilter, ClaimFilter, GridCategory, ReportFilter, ReportStatus } from './api';

type Params = Partial<SearchParams>;

function one<T extends string>(params: Params, name: string, allowed: readonly T[], fallback: T): T {
  const raw = params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export const claimStatuses = ['submitted', 'approved', 'rejected', 'all'] as const satisfies readonly ClaimFilter['status'][];
export const claimOrders = ['oldest', 'newest'] as const satisfies readonly ClaimFilter['order'][];

/** The claims queue's filter from the address: by default the claims waiting, oldest first. */
export function claimFilter(params: Params): ClaimFilter {
  return { status: one(params, 'status', claimStatuses, 'submitted'), order: one(params, 'order', claimOrders, 'oldest') };
}

export const reportStatuses = [
  'submitted',
  'verified',
  'forwarded',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
] as const satisfies readonly ReportStatus[];

export const gridCategories = [
  'pothole',
  'broken_manhole_cover',
  'road_collapse',
  'obstacle',
  'sanitation',
  'signal_fault',
  'other',
] as const satisfies readonly GridCategory[];

/** The reports queue's filter from the address: by default the reports awaiting verification. */
export function reportFilter(params: Params): ReportFilter {
  return {
    status: one(params, 'status', [...reportStatuses, 'all'], 'submitted'),
    category: one(params, 'category', [...gridCategories, ''], ''),
  };
}

export const appealStatuses = ['open', 'upheld', 'dismissed', 'all'] as const satisfies readonly AppealFilter['status'][];

/** The appeals queue's filter from the address: by default the open appeals. */
export function appealFilter(params: Params): AppealFilter {
  return { status: one(params, 'status', appealStatuses, 'open') };
}
