import { type EventKind, type RedisClient, readSequence, type TenantEvent, tenantEventChannel } from '@ai-org/core';
import { type PubSubRedisOptions, RedisPubSub } from 'graphql-redis-subscriptions';
import { filteredIterator } from './filtered-iterator';

/**
 * The API's side of live events: one Redis subscription per tenant channel that has subscribers
 * here (reference-counted by graphql-redis-subscriptions), each message parsed once and handed to
 * every local subscriber of that tenant. A subscriber can only be given its own tenant's channel.
 */
export class LiveEvents {
  private readonly pubsub: RedisPubSub;

  constructor(
    subscriber: RedisClient,
    private readonly publisher: RedisClient,
  ) {
    // The library types its own nested ioredis; ours is API-compatible (NOTES: works with ioredis 6).
    type Client = NonNullable<PubSubRedisOptions['subscriber']>;
    this.pubsub = new RedisPubSub({
      subscriber: subscriber as unknown as Client,
      publisher: publisher as unknown as Client,
    });
  }

  /**
   * The tenant's events, optionally only some kinds. `return()` (graphql-ws calls it when the socket
   * closes or the client completes) releases the Redis subscription at once, even for a quiet tenant.
   */
  subscribe(tenantId: string, kinds?: readonly EventKind[]): AsyncIterableIterator<TenantEvent> {
    const events = this.pubsub.asyncIterableIterator<TenantEvent>(
      tenantEventChannel(tenantId),
    ) as AsyncIterableIterator<TenantEvent>;
    return filteredIterator(events, (event) => event.tenantId === tenantId && (!kinds || kinds.includes(event.kind)));
  }

  /** The tenant's latest sequence number (never below one handed out before: see `readSequence`). */
  currentSequence(tenantId: string): Promise<number> {
    return readSequence(this.publisher, tenantId);
  }

  async close(): Promise<void> {
    await this.pubsub.close();
  }
}
