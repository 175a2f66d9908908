import type { RouteDefinition } from '@solidjs/router';

/** Routes of the console's partners, offers and awards pages, children of /console. Pages load lazily. */
export const partnersAdminRoutes: RouteDefinition[] = [];
