import { createContext, type ReactNode, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { type ApiClient, createApiClient } from './api-client';
import type { SocketState } from './socket-status';

const ApiContext = createContext<ApiClient | null>(null);

export interface ApiProviderProps {
  readonly tenant: string;
  readonly adminToken: string | null;
  readonly children: ReactNode;
}

/** A fresh client (and socket) per tenant, disposed when the tenant changes or the app unmounts. */
export const ApiProvider = ({ tenant, adminToken, children }: ApiProviderProps) => {
  const token = useRef(adminToken);
  token.current = adminToken;
  const [current, setCurrent] = useState<{ tenant: string; api: ApiClient } | null>(null);
  useEffect(() => {
    const api = createApiClient({ tenant, adminToken: () => token.current });
    setCurrent({ tenant, api });
    return () => api.dispose();
  }, [tenant]);
  // Never render with the previous tenant's (disposed) client.
  if (!current || current.tenant !== tenant) return null;
  return (
    <ApiContext.Provider value={current.api}>
      <Provider value={current.api.client} key={tenant}>
        {children}
      </Provider>
    </ApiContext.Provider>
  );
};

const useApi = (): ApiClient => {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an <ApiProvider>');
  return api;
};

/** The graphql-ws connection: connecting, live or offline, and how often it has connected. */
export const useSocketState = (): SocketState => {
  const { socket } = useApi();
  return useSyncExternalStore(socket.subscribe, socket.getState);
};
