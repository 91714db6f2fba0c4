import { Redis } from 'ioredis';

export type RedisRole =
  /** Request handlers and producers: fail fast while Redis is away instead of queueing commands. */
  | 'producer'
  /** BullMQ workers and blocking consumers: wait for Redis as long as it takes. */
  | 'worker';

/**
 * A Redis client with the production defaults for its role. It connects on `connect()` (or, for a
 * worker, its first command) and reconnects by itself, with backoff capped at two seconds, whenever
 * the server comes back.
 */
export const createRedisClient = (url: string, role: RedisRole, name = `ai-org-${role}`): Redis =>
  new Redis(url, {
    connectionName: name,
    connectTimeout: 2_000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...(role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000 }
      : { maxRetriesPerRequest: null }),
  });
