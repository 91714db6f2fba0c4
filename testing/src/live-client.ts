import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export const eventsSubscription = `subscription($kinds: [EventKind!]) {
  events(kinds: $kinds) {
    seq kind at
    task { id description status statusReason owner tokensActual dependsOnIds artifact { id provider offline } }
    budget { leftUsd reservedUsd spentUsd fundedUsd thresholdsCrossed }
    metrics { ready running blocked progress criticalPathTasks queues { role waiting active } }
    plan { goalId phase reason taskCount }
  }
}`;

export interface LiveEvent {
  seq: number;
  /** When the event was published (ISO-8601, the publisher's clock). */
  at: string;
  kind: 'task' | 'budget' | 'metrics' | 'plan';
  task: {
    id: string;
    description: string;
    status: string;
    artifact: { provider: string } | null;
    tokensActual: number;
  } | null;
  budget: { leftUsd: number; reservedUsd: number; spentUsd: number } | null;
  metrics: { progress: number; running: number } | null;
  plan: { phase: string; taskCount: number | null } | null;
}

export interface Subscriber {
  readonly events: LiveEvent[];
  readonly client: Client;
  /** Resolves when the server acknowledged the subscription's connection. */
  readonly connected: Promise<void>;
  /** Resolves with the close code once the socket closes. */
  readonly closed: Promise<number>;
  waitFor(predicate: (events: readonly LiveEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Ends the subscription (a graphql-ws `complete`) and keeps the socket open. */
  unsubscribe(): void;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client subscribed to `events` as `tenant` (connectionParams carry the identity).
 * `onEvent` is told of each event the moment it arrives (benchmarks time receipts with it).
 */
export const subscribe = (
  wsUrl: string,
  connectionParams: Record<string, string>,
  onEvent: (event: LiveEvent) => void = () => {},
  /** Another selection of `events` (a load test's lean one); the fields it leaves out are absent. */
  query: string = eventsSubscription,
): Subscriber => {
  const events: LiveEvent[] = [];
  let onConnected: () => void = () => {};
  let onClosed: (code: number) => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const closed = new Promise<number>((resolve) => {
    onClosed = resolve;
  });
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {}, // refusals are asserted through `closed`
    on: { connected: () => onConnected(), closed: (event) => onClosed((event as { code: number }).code) },
  });
  const unsubscribe = client.subscribe<{ events: LiveEvent }>(
    { query },
    {
      next: (result) => {
        if (!result.data) return;
        events.push(result.data.events);
        onEvent(result.data.events);
      },
      error: () => {},
      complete: () => {},
    },
  );
  return {
    events,
    client,
    connected,
    closed,
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; ${events.length} events so far`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    unsubscribe,
    async dispose() {
      await client.dispose();
    },
  };
};

/** Sequence numbers received form one unbroken run. */
export const isContiguous = (events: readonly { seq: number }[]): boolean =>
  events.every((event, i) => i === 0 || event.seq === (events[i - 1]?.seq ?? 0) + 1);

/**
 * Delivery is at most once and starts when the server's Redis subscription is in place, a moment
 * after the socket is acknowledged. Publishes warm-up events until every subscriber has seen one,
 * then forgets them, so a test's own events are all delivered.
 */
export const warmUp = async (subs: readonly Subscriber[], publish: () => Promise<unknown>): Promise<void> => {
  await Promise.all(subs.map((sub) => sub.connected));
  for (let attempt = 0; subs.some((sub) => sub.events.length === 0); attempt += 1) {
    if (attempt > 100) throw new Error('subscribers never received a warm-up event');
    await publish();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const sub of subs) sub.events.splice(0);
};
