import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { workspaceEventsSubscription } from '../graphql/workspace.documents';
import { addToFeed, type FeedEntry, feedEntryOf } from '../workspace-feed';

/**
 * The goal's `workspace` events since the page opened, newest first. A subscription of its own,
 * filtered to `workspace` events by the API (the tenant's live store ignores them).
 */
export const useWorkspaceFeed = (goalId: string): readonly FeedEntry[] => {
  const client = useClient();
  const [feed, setFeed] = useState<{ goalId: string; entries: readonly FeedEntry[] }>({ goalId, entries: [] });

  useEffect(() => {
    setFeed({ goalId, entries: [] });
    const { unsubscribe } = client.subscription(workspaceEventsSubscription, {}).subscribe((result) => {
      const event = result.data?.events;
      const entry = event ? feedEntryOf(event, goalId) : null;
      if (!entry) return;
      setFeed((current) => {
        const entries = current.goalId === goalId ? current.entries : [];
        const next = addToFeed(entries, entry);
        return next === current.entries ? current : { goalId, entries: next };
      });
    });
    return unsubscribe;
  }, [client, goalId]);

  return feed.goalId === goalId ? feed.entries : [];
};
