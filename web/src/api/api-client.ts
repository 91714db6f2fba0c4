import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { type Credential, connectionParams, requestHeaders } from '../session/credentials';
import { isUnauthenticated } from './error-text';
import { SocketStatusStore } from './socket-status';

export const graphqlPath = '/graphql';

export interface ApiClient {
  readonly client: Client;
  readonly socket: SocketStatusStore;
  dispose(): void;
}

export interface ApiClientOptions {
  readonly credential: Credential;
  /** Called when the API refuses the credential: an UNAUTHENTICATED answer, or the socket closed 4401/4403. */
  readonly onUnauthenticated: () => void;
}

/** graphql-ws close codes of a missing (4401) or refused, revoked or expired (4403) credential. */
export const credentialCloseCodes: ReadonlySet<number> = new Set([4401, 4403]);

/** ws(s)://<this host>/graphql: the dev server and `vite preview` proxy it to the API. */
export const websocketUrl = (): string =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${graphqlPath}`;

const closeEvent = (event: unknown): { code: number; reason?: string } | null =>
  typeof event === 'object' && event !== null && 'code' in event ? (event as { code: number; reason?: string }) : null;

const closeReason = (event: unknown): string | null => {
  const closed = closeEvent(event);
  if (!closed) return null;
  return closed.code === 1000 ? null : `${closed.code}${closed.reason ? ` ${closed.reason}` : ''}`;
};

/**
 * One urql client per credential: queries and mutations over HTTP POST with its headers
 * (`Authorization: Bearer <key>`, or in development `x-tenant-id` and `x-admin-token`), subscriptions
 * over graphql-ws on the same path with the same values in `connectionParams` (browsers cannot set
 * headers on a WebSocket). The socket reconnects forever, except after the API refused the credential.
 */
export const createApiClient = ({ credential, onUnauthenticated }: ApiClientOptions): ApiClient => {
  const socket = new SocketStatusStore();
  const headers = requestHeaders(credential);
  const ws = createWsClient({
    url: websocketUrl(),
    connectionParams: connectionParams(credential),
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !credentialCloseCodes.has(closeEvent(event)?.code ?? 0),
    on: {
      connecting: () => socket.connecting(),
      connected: () => socket.connected(),
      closed: (event) => {
        socket.closed(closeReason(event));
        if (credentialCloseCodes.has(closeEvent(event)?.code ?? 0)) onUnauthenticated();
      },
    },
  });
  const client = new Client({
    url: graphqlPath,
    // Apollo's CSRF protection refuses simple GET requests: always POST JSON.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers },
    exchanges: [
      mapExchange({
        onError: (error) => {
          if (isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, socket, dispose: () => void ws.dispose() };
};
