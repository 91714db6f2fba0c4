import { createContext, type ReactNode, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import type { Credential } from '../session/credentials';
import { type ApiClient, createApiClient } from './api-client';
import type { SocketState } from './socket-status';

const ApiContext = createContext<ApiClient | null>(null);

export interface ApiProviderProps {
  readonly credential: Credential;
  /** The API refused the credential (UNAUTHENTICATED, or the socket closed 4401/4403). */
  readonly onUnauthenticated: () => void;
  readonly children: ReactNode;
}

/** A fresh client (and socket) per credential, disposed when it changes or the app unmounts. */
export const ApiProvider = ({ credential, onUnauthenticated, children }: ApiProviderProps) => {
  const refused = useRef(onUnauthenticated);
  refused.current = onUnauthenticated;
  const [current, setCurrent] = useState<{ credential: Credential; api: ApiClient; generation: number } | null>(null);
  useEffect(() => {
    const api = createApiClient({ credential, onUnauthenticated: () => refused.current() });
    setCurrent((previous) => ({ credential, api, generation: (previous?.generation ?? 0) + 1 }));
    return () => api.dispose();
  }, [credential]);
  // Never render with the previous credential's (disposed) client.
  if (!current || current.credential !== credential) return null;
  return (
    <ApiContext.Provider value={current.api}>
      <Provider value={current.api.client} key={current.generation}>
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
