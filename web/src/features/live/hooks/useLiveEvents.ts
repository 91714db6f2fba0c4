import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { useSocketState } from '../../../api/ApiProvider';
import { liveEventsSubscription, liveSnapshotQuery } from '../graphql/live.documents';
import type { LiveStore } from '../live-store';
import { createResyncScheduler, type ResyncScheduler } from '../resync-scheduler';

/**
 * One `events` subscription per tenant feeding the store. A snapshot (`liveSnapshot`) is fetched
 * at start, on every (re)connect of the socket and on every sequence gap; events that arrive in
 * the meantime are buffered, and only those newer than the snapshot are applied.
 */
export const useLiveEvents = (store: LiveStore): void => {
  const client = useClient();
  const { connections } = useSocketState();
  const [scheduler, setScheduler] = useState<ResyncScheduler | null>(null);

  useEffect(() => {
    const created = createResyncScheduler({
      minGapMs: 500,
      retryMs: 3000,
      run: async () => {
        store.beginResync();
        const result = await client.query(liveSnapshotQuery, {}, { requestPolicy: 'network-only' }).toPromise();
        const snapshot = result.data?.liveSnapshot;
        if (!snapshot) {
          const message = result.error?.message ?? 'the API answered without a snapshot';
          store.failResync(message);
          throw new Error(message);
        }
        return store.completeResync(snapshot);
      },
    });
    setScheduler(created);
    created.request();
    return () => created.dispose();
  }, [client, store]);

  useEffect(() => {
    if (!scheduler) return;
    const { unsubscribe } = client.subscription(liveEventsSubscription, {}).subscribe((result) => {
      const event = result.data?.events;
      if (event && store.receive(event)) scheduler.request();
    });
    return unsubscribe;
  }, [client, store, scheduler]);

  // A (re)connect may have missed events: start over from a snapshot.
  useEffect(() => {
    if (scheduler && connections > 0) scheduler.request();
  }, [connections, scheduler]);
};
