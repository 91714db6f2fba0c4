import { lazy, Suspense } from 'react';
import { ApiProvider } from '../api/ApiProvider';
import { ApiKeysPage } from '../features/api-keys/components/ApiKeysPage';
import { BillingPage } from '../features/billing/components/BillingPage';
import { DashboardPage } from '../features/dashboard/components/DashboardPage';
import { GoalPage } from '../features/goal/components/GoalPage';
import { LiveProvider } from '../features/live/components/LiveProvider';
import { WorkspacePage } from '../features/workspace/components/WorkspacePage';
import { MeProvider, useMe } from '../session/MeProvider';
import { SessionProvider, useSession } from '../session/SessionProvider';
import { ErrorMessage, Loading } from '../ui/StateMessage';
import { DevelopmentBanner } from './DevelopmentBanner';
import { Header } from './Header';
import { type RoutePath, useRoute } from './routes';
import { SignInPage } from './SignInPage';
import './App.css';

// GraphiQL (CodeMirror and its addons) and the graph (React Flow, dagre) are chunks of their own,
// loaded on their page only, so they do not weigh on the dashboard.
const GraphiqlPage = lazy(() => import('../features/graphiql/components/GraphiqlPage'));
const GraphPage = lazy(() => import('../features/graph/components/GraphPage').then((m) => ({ default: m.GraphPage })));

/** Said when the API refuses a pasted key (unknown, revoked or expired) and the tab returns to sign-in. */
const refusedKeyNotice = 'The API refused your key (unknown, revoked or expired). Sign in again.';

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
    case '/workspace':
      return <WorkspacePage />;
    case '/keys':
      return <ApiKeysPage />;
    case '/billing':
      return <BillingPage />;
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
  const route = useRoute();
  const { error, retry } = useMe();
  const { credential } = useSession();
  return (
    <div className="app">
      {credential?.kind === 'development' ? <DevelopmentBanner /> : null}
      <Header route={route} />
      {error ? (
        <div className="identity-error">
          <ErrorMessage title="Could not tell who you are" error={error} onRetry={retry} />
        </div>
      ) : null}
      <main className={`page page-${route === '/' ? 'dashboard' : route.slice(1)}`}>
        <Page route={route} />
      </main>
    </div>
  );
};

const SignedIn = () => {
  const { mode, credential, signOut, retryMode } = useSession();
  if (mode.status === 'loading') return <Loading what="the sign-in" />;
  if (mode.status === 'failed') {
    return (
      <main className="page">
        <ErrorMessage title="Could not reach the API" error={mode.error} onRetry={retryMode} />
      </main>
    );
  }
  if (!credential) return <SignInPage />;
  // In development mode a refusal is a bad tenant id or admin token: the error says so, nothing to sign out of.
  const onUnauthenticated = credential.kind === 'api-key' ? () => signOut(refusedKeyNotice) : () => {};
  return (
    <ApiProvider credential={credential} onUnauthenticated={onUnauthenticated}>
      <MeProvider>
        <LiveProvider>
          <Shell />
        </LiveProvider>
      </MeProvider>
    </ApiProvider>
  );
};

export const App = () => (
  <SessionProvider>
    <SignedIn />
  </SessionProvider>
);
