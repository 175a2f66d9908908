import type { RouteDefinition } from '@solidjs/router';

/** Routes of the partner desk (/desk/…), children of /desk. Pages load lazily. */
export const partnerRoutes: RouteDefinition[] = [];
