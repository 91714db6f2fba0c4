import { useSyncExternalStore } from 'react';
import type { Permissions } from '../session/permissions';

export const routes = [
  { path: '/', label: 'Dashboard' },
  { path: '/graph', label: 'Graph' },
  { path: '/goal', label: 'Goal' },
  // Workspaces are read by members and owners: the roles that may change tasks.
  { path: '/workspace', label: 'Workspaces', needs: 'changeTasks' },
  { path: '/keys', label: 'API keys', needs: 'manageKeys' },
  // Every role reads the balances and top-ups; only owners see the forms that pay.
  { path: '/billing', label: 'Billing' },
  { path: '/graphiql', label: 'GraphiQL' },
] as const satisfies readonly { path: string; label: string; needs?: keyof Permissions }[];

export type RoutePath = (typeof routes)[number]['path'];

/** The pages the caller's role may use (the others are not linked). */
export const visibleRoutes = (permissions: Permissions) =>
  routes.filter((route) => !('needs' in route) || permissions[route.needs]);

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

/**
 * The page from the URL hash (`#/graph`), so links, reloads and the back button just work. A page may
 * read more of the path itself (`#/workspace/<goalId>` is the workspace page).
 */
export const currentRoute = (): RoutePath => {
  const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
  return (
    routes.find((route) => route.path === path || (route.path !== '/' && path.startsWith(`${route.path}/`)))?.path ??
    '/'
  );
};

export const useRoute = (): RoutePath => useSyncExternalStore(subscribe, currentRoute);

export const hrefOf = (path: RoutePath): string => `#${path}`;
