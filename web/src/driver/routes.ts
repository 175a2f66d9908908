import type { RouteDefinition } from '@solidjs/router';

/** Routes of the driver shop (/, /shop, /vouchers, /statement, /rating, /inbox). Pages load lazily. */
export const driverRoutes: RouteDefinition[] = [];
