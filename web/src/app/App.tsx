import { lazy, Suspense } from 'react';
import { ApiProvider } from '../api/ApiProvider';
import { DashboardPage } from '../features/dashboard/components/DashboardPage';
import { GoalPage } from '../features/goal/components/GoalPage';
import { LiveProvider } from '../features/live/components/LiveProvider';
import { SessionProvider, useSession } from '../session/SessionProvider';
import { Loading } from '../ui/StateMessage';
import { Header } from './Header';
import { type RoutePath, useRoute } from './routes';
import './App.css';

// GraphiQL (CodeMirror and its addons) and the graph (React Flow, dagre) are chunks of their own,
// loaded on their page only, so they do not weigh on the dashboard.
const GraphiqlPage = lazy(() => import('../features/graphiql/components/GraphiqlPage'));
const GraphPage = lazy(() => import('../features/graph/components/GraphPage').then((m) => ({ default: m.GraphPage })));

const Page = ({ route }: { route: RoutePath }) => {
  switch (route) {
    case '/':
      return <DashboardPage />;
    case '/graph':
      return (
        <Suspense fallback={<Loading what="the task graph" />}>
          <GraphPage />
        </Suspense>
      );
    case '/goal':
      return <GoalPage />;
    case '/graphiql':
      return (
        <Suspense fallback={<Loading what="GraphiQL" />}>
          <GraphiqlPage />
        </Suspense>
      );
    default: {
      const unknown: never = route;
      return unknown;
    }
  }
};

const Shell = () => {
  const { tenant, adminToken } = useSession();
  const route = useRoute();
  return (
    <ApiProvider tenant={tenant} adminToken={adminToken}>
      <LiveProvider>
        <div className="app">
          <Header route={route} />
          <main className={`page page-${route === '/' ? 'dashboard' : route.slice(1)}`}>
            <Page route={route} />
          </main>
        </div>
      </LiveProvider>
    </ApiProvider>
  );
};

export const App = () => (
  <SessionProvider>
    <Shell />
  </SessionProvider>
);
