import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { getImports } from './imports/api';
import { getAppeals, getClaims, getReport, getReports } from './queues/api';
import { appealFilter, claimFilter, reportFilter } from './queues/filters';
import { getPolicies } from './rating/api';
import { getRule, getRules } from './rules/api';

/** Routes of the console's queues, imports and rule editors, children of /console. Pages load lazily. */
export const committeeRoutes: RouteDefinition[] = [
  {
    path: '/claims',
    component: lazy(() => import('./queues/ClaimsPage')),
    preload: ({ location }) => void getClaims(claimFilter(location.query)),
  },
  {
    path: '/reports',
    component: lazy(() => import('./queues/ReportsPage')),
    preload: ({ location }) => void getReports(reportFilter(location.query)),
  },
  {
    path: '/reports/:id',
    component: lazy(() => import('./queues/ReportPage')),
    preload: ({ params }) => void getReport(params.id!),
  },
  {
    path: '/appeals',
    component: lazy(() => import('./queues/AppealsPage')),
    preload: ({ location }) => void getAppeals(appealFilter(location.query)),
  },
  {
    path: '/imports',
    component: lazy(() => import('./imports/ImportsPage')),
    preload: () => void getImports(),
  },
  { path: '/rules', component: lazy(() => import('./rules/RulesPage')), preload: () => void getRules() },
  { path: '/rules/new', component: lazy(() => import('./rules/NewRulePage')), preload: () => void getRules() },
  {
    path: '/rules/:id',
    component: lazy(() => import('./rules/RulePage')),
    preload: ({ params }) => void getRule(params.id!),
  },
  {
    path: '/rules/:id/edit',
    component: lazy(() => import('./rules/RuleEditPage')),
    preload: ({ params }) => void getRule(params.id!),
  },
  {
    path: '/rating-policy',
    component: lazy(() => import('./rating/RatingPolicyPage')),
    preload: () => void getPolicies(),
  },
  {
    path: '/rating-policy/new',
    component: lazy(() => import('./rating/PolicyEditPage')),
    preload: () => void getPolicies(),
  },
];
