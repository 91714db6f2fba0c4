import { createContext, type ReactNode, useContext, useState, useSyncExternalStore } from 'react';
import { useLiveEvents } from '../hooks/useLiveEvents';
import type { LiveState } from '../live-state';
import { LiveStore, type SyncState } from '../live-store';

const LiveContext = createContext<LiveStore | null>(null);

/** Holds the tenant's live store (one per API client) and keeps it fed. */
export const LiveProvider = ({ children }: { children: ReactNode }) => {
  const [store] = useState(() => new LiveStore());
  useLiveEvents(store);
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
};

const useStore = (): LiveStore => {
  const store = useContext(LiveContext);
  if (!store) throw new Error('live state needs a <LiveProvider>');
  return store;
};

/** A slice of the live state; re-renders only when the selected value changes identity. */
export const useLive = <T,>(select: (state: LiveState) => T): T => {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
};

export const useLiveSync = (): SyncState => {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSync);
};
