import { createGraphiQLFetcher, createLocalStorage } from '@graphiql/toolkit';
import CodeMirror from 'codemirror';
import { GraphiQL } from 'graphiql';
// Before GraphiQL's own stylesheet, as when it lived in the global theme.
import './GraphiqlPage.css';
import 'graphiql/style.css';
import { useMemo } from 'react';
import { graphqlPath, websocketUrl } from '../../../api/api-client';
import { connectionParams, requestHeaders } from '../../../session/credentials';
import { useMe } from '../../../session/MeProvider';
import { useSession } from '../../../session/SessionProvider';

// CodeMirror's "contenteditable" input model works better with screen readers than its hidden
// textarea, and makes the editors reachable by automation (GraphiQL 4 uses CodeMirror 5).
CodeMirror.defaults.inputStyle = 'contenteditable';

const defaultQuery = `# The tenant's live events (graphql-ws). Press Ctrl+Enter to run.
subscription LiveEvents {
  events {
    seq
    kind
    at
    task { id status statusReason }
    budget { leftUsd reservedUsd spentUsd }
    plan { goalId phase taskCount }
  }
}

# query Backlog {
#   backlog(limit: 10) { id description businessValue purposeRelevance owner }
# }
`;

/**
 * GraphiQL, bundled (no CDN, no web workers): queries and mutations over HTTP with the app's
 * credential headers, subscriptions over graphql-ws with the same values in connectionParams.
 */
const GraphiqlPage = () => {
  const { credential } = useSession();
  const { me } = useMe();
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: graphqlPath,
        subscriptionUrl: websocketUrl(),
        headers: credential ? requestHeaders(credential) : {},
        wsConnectionParams: credential ? connectionParams(credential) : {},
      }),
    [credential],
  );
  // Tabs and history are kept per tenant (never keyed by a secret).
  const tenant = me?.tenantId ?? 'none';
  const storage = useMemo(() => createLocalStorage({ namespace: `graphiql:${tenant}` }), [tenant]);
  return (
    <div className="graphiql-host" data-testid="graphiql">
      <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} storage={storage} />
    </div>
  );
};

export default GraphiqlPage;
