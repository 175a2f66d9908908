import type { RouteDefinition } from '@solidjs/router';

/** Routes of the console's queues, imports and rule editors, children of /console. Pages load lazily. */
export const committeeRoutes: RouteDefinition[] = [];
