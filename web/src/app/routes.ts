import { useSyncExternalStore } from 'react';

export const routes = [
  { path: '/', label: 'Dashboard' },
  { path: '/graph', label: 'Graph' },
  { path: '/goal', label: 'Goal' },
  { path: '/graphiql', label: 'GraphiQL' },
] as const;

export type RoutePath = (typeof routes)[number]['path'];

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

/** The page from the URL hash (`#/graph`), so links, reloads and the back button just work. */
export const currentRoute = (): RoutePath => {
  const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
  return routes.find((route) => route.path === path)?.path ?? '/';
};

export const useRoute = (): RoutePath => useSyncExternalStore(subscribe, currentRoute);

export const hrefOf = (path: RoutePath): string => `#${path}`;
