import type { SearchParams } from '@solidjs/router';
import type { CatalogParams } from './api';

export const categories = ['repair', 'training', 'inspection', 'other'] as const;
export type Category = (typeof categories)[number];
export const sorts = ['newest', 'price_asc', 'price_desc'] as const;
export type Sort = (typeof sorts)[number];

const one = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value) || undefined;

const oneOf = <T extends string>(options: readonly T[], value: string | undefined): T | undefined =>
  options.find((option) => option === value);

/**
 * The catalog's filters from the page's URL (`/shop?category=repair&q=brake`), so a filtered
 * list can be shared, bookmarked and reached with back and forward. Anything unknown is dropped.
 */
export function catalogFilters(search: SearchParams): CatalogParams {
  return {
    category: oneOf(categories, one(search.category)),
    q: one(search.q)?.trim() || undefined,
    region: one(search.region)?.trim() || undefined,
    affordable: one(search.affordable) === 'true' ? 'true' : undefined,
    sort: oneOf(sorts, one(search.sort)),
  };
}
