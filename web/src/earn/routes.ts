import type { RouteDefinition } from '@solidjs/router';

/** Routes of the driver's earning pages (/earn/…). Pages load lazily. */
export const earnRoutes: RouteDefinition[] = [];
