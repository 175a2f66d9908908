import { Route, Router } from '@solidjs/router';
import { Layout } from './components/Layout';
import Home from './routes/Home';
import Login from './routes/Login';
import NotFound from './routes/NotFound';
import Register from './routes/Register';
import { getMe } from './session/session';

// Start asking who is signed in as soon as a route that shows it is on its way.
const preloadSession = () => getMe();

export function App() {
  return (
    <Router root={Layout}>
      <Route path="/" component={Home} preload={preloadSession} />
      <Route path="/login" component={Login} preload={preloadSession} />
      <Route path="/register" component={Register} />
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
