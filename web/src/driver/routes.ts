import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { getCatalog, getInbox, getOffer, getRating, getRegions, getStatement, getVoucher, getVouchers } from './api';
import { catalogFilters } from './catalog-filters';

/**
 * Routes of the driver shop (/shop, /vouchers, /statement, /rating, /inbox; the home page is
 * routes/Home's). Pages load lazily; each route starts its data on the way, even on hover.
 */
export const driverRoutes: RouteDefinition[] = [
  {
    path: '/shop',
    component: lazy(() => import('./Catalog')),
    preload: ({ location }) => {
      void getCatalog(catalogFilters(location.query));
      void getRegions();
    },
  },
  { path: '/shop/:id', component: lazy(() => import('./OfferPage')), preload: ({ params }) => void getOffer(params.id!) },
  { path: '/vouchers', component: lazy(() => import('./Vouchers')), preload: () => void getVouchers() },
  {
    path: '/vouchers/:id',
    component: lazy(() => import('./VoucherPage')),
    preload: ({ params }) => void getVoucher(params.id!),
  },
  { path: '/statement', component: lazy(() => import('./Statement')), preload: () => void getStatement() },
  { path: '/rating', component: lazy(() => import('./Rating')), preload: () => void getRating() },
  { path: '/inbox', component: lazy(() => import('./Inbox')), preload: () => void getInbox({}) },
];
