import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { getClaim, getEarningRates, getMyAppeals, getMyClaims, getMyReports, getMySafety, getReport } from './api';

// Preloads name the queries here rather than importing them from the pages, so the pages stay
// in their own chunks until visited.
const preloadHub = () => {
  void getMySafety();
  void getEarningRates();
  void getMyAppeals();
};
const preloadClaims = () => {
  void getMyClaims();
  void getMyAppeals();
};

/** Routes of the driver's earning pages (/earn/…). Pages load lazily. */
export const earnRoutes: RouteDefinition[] = [
  { path: '/earn', component: lazy(() => import('./EarnHub')), preload: preloadHub },
  { path: '/earn/volunteering', component: lazy(() => import('./Claims')), preload: preloadClaims },
  { path: '/earn/volunteering/new', component: lazy(() => import('./ClaimNew')) },
  { path: '/earn/reports', component: lazy(() => import('./Reports')), preload: () => void getMyReports() },
  { path: '/earn/reports/new', component: lazy(() => import('./ReportNew')) },
  {
    path: '/earn/reports/:id',
    component: lazy(() => import('./ReportDetail')),
    preload: ({ params }) => void (params.id && getReport(params.id)),
  },
  { path: '/earn/appeals', component: lazy(() => import('./Appeals')), preload: () => void getMyAppeals() },
  {
    path: '/earn/appeals/new',
    component: lazy(() => import('./AppealNew')),
    preload: ({ location }) => {
      const query = new URLSearchParams(location.search);
      const id = query.get('id');
      if (!id) return;
      if (query.get('kind') === 'volunteer_claim') void getClaim(id);
      else if (query.get('kind') === 'grid_report') void getReport(id);
      else if (query.get('kind') === 'safety_event') void getMySafety();
    },
  },
];
