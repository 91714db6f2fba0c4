/** The page's route; `#/workspace` lists the workspaces, `#/workspace/<goalId>` shows one. */
export const workspaceRoute = '/workspace';

export const workspaceHref = (goalId: string): string => `#${workspaceRoute}/${encodeURIComponent(goalId)}`;

/** The goal id a URL hash names (`#/workspace/<goalId>`), or null (the list, or another page). */
export const goalIdOfHash = (hash: string): string | null => {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const prefix = `${workspaceRoute}/`;
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length).split('/')[0] ?? '';
  if (rest === '') return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
};
