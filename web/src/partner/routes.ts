import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { dayRange } from '../lib/programme-day';
import { getStatement } from './api';
import { statementDays, todaysPeriod } from './periods';

/** Routes of the partner desk (/desk/…), children of /desk. Pages load lazily. */
export const partnerRoutes: RouteDefinition[] = [
  { path: '/', component: lazy(() => import('./ConfirmPage')) },
  {
    path: '/today',
    component: lazy(() => import('./TodayPage')),
    preload: () => void getStatement(todaysPeriod()),
  },
  {
    path: '/statement',
    component: lazy(() => import('./StatementPage')),
    preload: ({ location }) => {
      const days = statementDays(Object.fromEntries(new URLSearchParams(location.search)));
      if (days.first <= days.last) void getStatement(dayRange(days.first, days.last));
    },
  },
];
