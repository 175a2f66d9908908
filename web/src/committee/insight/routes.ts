import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { getAuditLog, getDriver, getDriverRating, getDriverStatement, getDrivers, getSummary } from './api';
import { filtersOf } from './audit/filters';
import { periodOf } from './dashboard/period';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Routes of the console's dashboard, drivers and audit log, children of /console. Pages load lazily. */
export const insightRoutes: RouteDefinition[] = [
  {
    path: '/',
    component: lazy(() => import('./dashboard/Dashboard')),
    preload: ({ location }) => void getSummary(periodOf(location.query)),
  },
  {
    path: '/drivers',
    component: lazy(() => import('./drivers/DriverSearch')),
    preload: ({ location }) => void getDrivers(text(location.query.q)),
  },
  {
    path: '/drivers/:id',
    component: lazy(() => import('./drivers/DriverPage')),
    preload: ({ params }) => {
      const id = params.id ?? '';
      void getDriver(id);
      void getDriverRating(id);
      void getDriverStatement(id);
    },
  },
  {
    path: '/audit',
    component: lazy(() => import('./audit/AuditLog')),
    preload: ({ location }) => void getAuditLog(filtersOf(location.query)),
  },
];
