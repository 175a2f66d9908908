import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { getOffers, getPartners } from './api';
import { offerStatusFrom } from './offer-status';

/** Routes of the console's partners, offers and awards pages, children of /console. Pages load lazily. */
export const partnersAdminRoutes: RouteDefinition[] = [
  { path: '/partners', component: lazy(() => import('./PartnersPage')), preload: () => void getPartners() },
  {
    path: '/offers',
    component: lazy(() => import('./OffersPage')),
    preload: ({ location }) => void getOffers({ status: offerStatusFrom(new URLSearchParams(location.search).get('status')) }),
  },
  { path: '/awards', component: lazy(() => import('./AwardsPage')) },
];
