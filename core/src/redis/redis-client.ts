import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config';

/** One Redis or a Redis Cluster: what every module that only sends commands takes. */
export type RedisClient = Redis | Cluster;

export type RedisRole =
  /** Request handlers and producers: fail fast while Redis is away instead of queueing commands. */
  | 'producer'
  /** BullMQ workers and blocking consumers: wait for Redis as long as it takes. */
  | 'worker';

/** Where Redis is: `config.redis` (one URL, or a cluster's nodes when they are set). */
export type RedisConnection = Config['redis'];

const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2_000);

/** Options of one connection (to the single Redis, or to each cluster node) for the role. */
const connectionOptions = (role: RedisRole, name: string) =>
  ({
    connectionName: name,
    connectTimeout: 2_000,
    ...(role === 'producer' ? { maxRetriesPerRequest: 1, commandTimeout: 2_000 } : { maxRetriesPerRequest: null }),
  }) satisfies RedisOptions;

/** `host:port`, an IPv6 host in brackets. */
export const parseNode = (node: string): { host: string; port: number } => {
  const colon = node.lastIndexOf(':');
  return { host: node.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(node.slice(colon + 1)) };
};

/**
 * Cluster options for the cluster's credentials and TLS (one set for every node), with `redisOptions`
 * for each node's connection.
 */
export const clusterAccessOptions = (
  { username, password, tls }: RedisConnection['clusterAuth'],
  redisOptions: ClusterOptions['redisOptions'],
): ClusterOptions => ({
  redisOptions: {
    ...redisOptions,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(tls && { tls: {} }),
  },
  // ioredis resolves node names to addresses before connecting, but a managed cluster's TLS
  // certificate names hosts, not addresses: connect by name so the certificate check passes.
  ...(tls && { dnsLookup: (address, callback) => callback(null, address) }),
});

const createCluster = (redis: RedisConnection & { clusterNodes: readonly string[] }, role: RedisRole, name: string) =>
  new Cluster(redis.clusterNodes.map(parseNode), {
    lazyConnect: true,
    enableOfflineQueue: role !== 'producer',
    clusterRetryStrategy: retryStrategy,
    ...clusterAccessOptions(redis.clusterAuth, connectionOptions(role, name)),
  });

/**
 * A Redis client with the production defaults for its role. It connects on `connect()` (or, for a
 * worker, its first command) and reconnects by itself, with backoff capped at two seconds, whenever
 * the server comes back. Given a URL it is always one Redis (tests, tools); given `config.redis` it is
 * a Cluster when cluster nodes are configured.
 */
export function createRedisClient(url: string, role: RedisRole, name?: string): Redis;
export function createRedisClient(redis: RedisConnection, role: RedisRole, name?: string): RedisClient;
export function createRedisClient(where: string | RedisConnection, role: RedisRole, name?: string): RedisClient;
export function createRedisClient(
  where: string | RedisConnection,
  role: RedisRole,
  name = `ai-org-${role}`,
): RedisClient {
  if (typeof where !== 'string' && where.clusterNodes !== undefined) {
    return createCluster({ ...where, clusterNodes: where.clusterNodes }, role, name);
  }
  return new Redis(typeof where === 'string' ? where : where.url, {
    ...connectionOptions(role, name),
    lazyConnect: true,
    retryStrategy,
    ...(role === 'producer' && { enableOfflineQueue: false }),
  });
}

/** Whether the client talks to a Redis Cluster (whose commands reach one node each). */
export const isCluster = (redis: RedisClient): redis is Cluster => redis instanceof Cluster;
