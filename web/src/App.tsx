import { Router, type RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import { insightRoutes } from './committee/insight/routes';
import { partnersAdminRoutes } from './committee/partners/routes';
import { committeeRoutes } from './committee/routes';
import { Layout } from './components/Layout';
import { driverRoutes } from './driver/routes';
import { earnRoutes } from './earn/routes';
import { partnerRoutes } from './partner/routes';
import Home from './routes/Home';
import Login from './routes/Login';
import NotFound from './routes/NotFound';
import Register from './routes/Register';
import { getMe } from './session/session';

// Start asking who is signed in as soon as a route that shows it is on its way.
const preloadSession = () => void getMe();

/**
 * Every page. Each area's pages load on first visit, so a driver's phone never downloads the
 * console; the area's layout checks the role before anything of it renders.
 */
export const routes: RouteDefinition[] = [
  { path: '/', component: Home, preload: preloadSession },
  { path: '/login', component: Login, preload: preloadSession },
  { path: '/register', component: Register },
  {
    path: '/',
    component: lazy(() => import('./driver/DriverArea')),
    preload: preloadSession,
    children: [...driverRoutes, ...earnRoutes],
  },
  {
    path: '/desk',
    component: lazy(() => import('./partner/DeskLayout')),
    preload: preloadSession,
    children: partnerRoutes,
  },
  {
    path: '/console',
    component: lazy(() => import('./committee/ConsoleLayout')),
    preload: preloadSession,
    children: [...insightRoutes, ...committeeRoutes, ...partnersAdminRoutes],
  },
  { path: '*404', component: NotFound },
];

export function App() {
  return <Router root={Layout}>{routes}</Router>;
}
