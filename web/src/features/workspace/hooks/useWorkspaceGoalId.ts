import { useSyncExternalStore } from 'react';
import { goalIdOfHash } from '../workspace-route';

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

const read = (): string | null => goalIdOfHash(window.location.hash);

/** The goal id in the URL (`#/workspace/<goalId>`), or null on the list. */
export const useWorkspaceGoalId = (): string | null => useSyncExternalStore(subscribe, read);
