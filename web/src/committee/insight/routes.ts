import type { RouteDefinition } from '@solidjs/router';

/** Routes of the console's dashboard, drivers and audit log, children of /console. Pages load lazily. */
export const insightRoutes: RouteDefinition[] = [];
