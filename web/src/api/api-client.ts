import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { SocketStatusStore } from './socket-status';

export const graphqlPath = '/graphql';

export interface ApiClient {
  readonly client: Client;
  readonly socket: SocketStatusStore;
  dispose(): void;
}

export interface ApiClientOptions {
  readonly tenant: string;
  /** Read on every request, so a new admin token needs no new client. */
  readonly adminToken: () => string | null;
}

/** ws(s)://<this host>/graphql: the dev server and `vite preview` proxy it to the API. */
export const websocketUrl = (): string =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${graphqlPath}`;

const closeReason = (event: unknown): string | null => {
  if (typeof event !== 'object' || event === null || !('code' in event)) return null;
  const { code, reason } = event as { code: number; reason?: string };
  return code === 1000 ? null : `${code}${reason ? ` ${reason}` : ''}`;
};

/**
 * One urql client per tenant: queries and mutations over HTTP POST with `x-tenant-id` (and
 * `x-admin-token` when set), subscriptions over graphql-ws on the same path with the tenant in
 * `connectionParams` (browsers cannot set headers on a WebSocket). The socket reconnects forever.
 */
export const createApiClient = ({ tenant, adminToken }: ApiClientOptions): ApiClient => {
  const socket = new SocketStatusStore();
  const ws = createWsClient({
    url: websocketUrl(),
    connectionParams: { 'x-tenant-id': tenant },
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    on: {
      connecting: () => socket.connecting(),
      connected: () => socket.connected(),
      closed: (event) => socket.closed(closeReason(event)),
    },
  });
  const client = new Client({
    url: graphqlPath,
    // Apollo's CSRF protection refuses simple GET requests: always POST JSON.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => {
      const token = adminToken();
      return { headers: { 'x-tenant-id': tenant, ...(token ? { 'x-admin-token': token } : {}) } };
    },
    exchanges: [
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
