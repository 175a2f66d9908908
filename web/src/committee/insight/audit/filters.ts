import type { AuditFilters } from '../api';

export const filterNames = ['action', 'actorId', 'targetType', 'targetId'] as const;
export type FilterName = (typeof filterNames)[number];

/** What each filter must look like, as the API checks it; a wrong one is named before asking. */
const patterns: Partial<Record<FilterName, RegExp>> = {
  action: /^[a-z0-9_.]{1,80}$/,
  actorId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  targetType: /^[a-z_]{1,40}$/,
};

/** The filters in the address; ones that could not be right are left out. */
export function filtersOf(query: Record<string, unknown>): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of filterNames) {
    const value = query[name];
    if (typeof value === 'string' && value.trim() && !invalid(name, value.trim())) filters[name] = value.trim();
  }
  return filters;
}

export function invalid(name: FilterName, value: string): boolean {
  const pattern = patterns[name];
  return value !== '' && pattern !== undefined && !pattern.test(value);
}
