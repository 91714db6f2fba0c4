import { graphqlClient, type LiveEvent, type Subscriber, subscribe } from '@ai-org/testing';

/** Every kind of event (a kinds filter would make gaps meaningless), only the fields this client keeps. */
const leanEvents = 'subscription { events { seq kind task { id status version } } }';
const snapshotQuery = '{ liveSnapshot { seq taskGraph { nodes { id status version } } } }';
/** A snapshot request that fails (an API busy or restarting) is sent again, this often at most. */
const snapshotAttempts = 5;
const reconnectDelayMs = 200;

interface KnownTask {
  readonly status: string;
  readonly version: number;
}

interface Snapshot {
  liveSnapshot: { seq: number; taskGraph: { nodes: ({ id: string } & KnownTask)[] } };
}

/**
 * A live-events subscriber that keeps a tenant's task statuses the way docs/event-delivery.md tells a
 * client to: load `liveSnapshot`, apply only events numbered above it one after the other (a task's
 * snapshot only when its version is not below the one held), and on a gap, at the start or after its
 * socket closed and it connected again, load the snapshot again, holding back the events that arrive
 * meanwhile.
 */
export interface LiveReplica {
  /** The current socket's subscriber (a new one after each reconnection). */
  readonly subscriber: Subscriber;
  readonly apiUrl: string;
  /** Every sequence number received, in order of arrival (duplicates and reordering would show here). */
  readonly received: readonly number[];
  /** Each break in the run: the last number applied and the number that arrived instead of the next. */
  readonly gaps: readonly { readonly applied: number; readonly arrived: number }[];
  /** The close code of each socket that closed under this client (it connected again each time). */
  readonly closes: readonly number[];
  /** Snapshots loaded (the first one included) and snapshot requests that failed for good. */
  readonly snapshots: number;
  /** The sequence number of the last snapshot loaded. */
  readonly snapshotSeq: number | undefined;
  readonly snapshotErrors: readonly string[];
  /** The last sequence number reflected in `tasks`. */
  applied(): number | undefined;
  /** Task statuses by id, as this client knows them. */
  readonly tasks: ReadonlyMap<string, string>;
  /** Loads the first snapshot; call once the subscription receives events (see `warmUp`). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export const openLiveReplica = (apiUrl: string, tenant: string): LiveReplica => {
  const gql = graphqlClient(apiUrl);
  const received: number[] = [];
  const gaps: { applied: number; arrived: number }[] = [];
  const closes: number[] = [];
  const snapshotErrors: string[] = [];
  let tasks = new Map<string, KnownTask>();
  let applied: number | undefined;
  let snapshots = 0;
  let snapshotSeq: number | undefined;
  /** Events held back while a snapshot is on its way (and before the first one). */
  let held: LiveEvent[] | undefined = [];
  let syncing = false;
  let syncAgain = false;
  let disposed = false;

  const apply = (event: LiveEvent) => {
    if (held) {
      held.push(event);
      return;
    }
    const last = applied ?? 0;
    if (event.seq <= last) return; // already in the snapshot
    if (event.seq !== last + 1) {
      gaps.push({ applied: last, arrived: event.seq });
      held = [event];
      void resync();
      return;
    }
    const task = event.task as (NonNullable<LiveEvent['task']> & { version: number }) | null;
    if (task && (tasks.get(task.id)?.version ?? -1) <= task.version) {
      tasks.set(task.id, { status: task.status, version: task.version });
    }
    applied = event.seq;
  };

  const loadSnapshot = async (): Promise<Snapshot | undefined> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await gql<Snapshot>(tenant, snapshotQuery);
      } catch (error) {
        if (attempt >= snapshotAttempts) {
          snapshotErrors.push(String(error));
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  };

  /** One snapshot at a time; a reason for another that comes up meanwhile loads one more after it. */
  const resync = async () => {
    held ??= [];
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    do {
      syncAgain = false;
      const snapshot = await loadSnapshot();
      if (snapshot) {
        snapshots += 1;
        tasks = new Map(
          snapshot.liveSnapshot.taskGraph.nodes.map(({ id, status, version }) => [id, { status, version }]),
        );
        applied = snapshot.liveSnapshot.seq;
        snapshotSeq = applied;
      }
    } while (syncAgain);
    syncing = false;
    const pending = held ?? [];
    held = undefined;
    // Replayed in order; a further gap among them holds back the rest for the next snapshot.
    for (const event of pending) apply(event);
  };

  const connect = (): Subscriber => {
    const sub = subscribe(
      `${apiUrl.replace('http', 'ws')}/graphql`,
      { 'x-tenant-id': tenant },
      (event) => {
        received.push(event.seq);
        apply(event);
        // The client state above is what counts; the helper's copy of every event would only cost memory.
        if (snapshots > 0) sub.events.splice(0);
      },
      leanEvents,
    );
    void sub.closed.then(async (code) => {
      if (disposed) return;
      closes.push(code);
      await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs));
      if (disposed) return;
      current = connect();
      // Whatever was published while no socket was open is in the snapshot loaded once it is.
      void current.connected.then(resync);
    });
    return sub;
  };
  let current = connect();

  return {
    get subscriber() {
      return current;
    },
    apiUrl,
    received,
    gaps,
    closes,
    get snapshots() {
      return snapshots;
    },
    get snapshotSeq() {
      return snapshotSeq;
    },
    snapshotErrors,
    applied: () => applied,
    get tasks() {
      return new Map([...tasks].map(([id, { status }]) => [id, status]));
    },
    start: resync,
    async dispose() {
      disposed = true;
      await current.dispose();
    },
  };
};
