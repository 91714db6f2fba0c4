import { useCallback } from 'react';
import { useQuery } from 'urql';
import { useSocketState } from '../../../api/ApiProvider';
import { useRefreshOn } from '../../../api/useRefreshOn';
import { workspaceQuery } from '../graphql/workspace.documents';
import { useWorkspaceFeed } from './useWorkspaceFeed';

/** How often, at most, live events refetch the workspace. */
const refetchIntervalMs = 1000;

/**
 * The goal's workspace and its live feed. Every event of the feed refetches the workspace (merged
 * into at most one query a second), and so does every reconnect of the socket (events may be lost).
 */
export const useWorkspace = (goalId: string) => {
  const [result, reexecute] = useQuery({ query: workspaceQuery, variables: { goalId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const feed = useWorkspaceFeed(goalId);
  const { connections } = useSocketState();
  useRefreshOn(feed, refresh, refetchIntervalMs);
  useRefreshOn(connections, refresh, refetchIntervalMs);
  return { result, refresh, feed };
};
